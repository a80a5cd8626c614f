import { readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createChatServer } from '../chat-server';
import { createRouter, routesOf } from '../http/router';
import { TEST_SECRET } from '../../test/kit/test-server';
import { operations } from './index';
import { openApiDocument } from './openapi';

const committed = new URL('../../../../docs/openapi.json', import.meta.url);
type Doc = { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };

// Issue 19: the description is generated from the operations, so a route and its description
// cannot disagree; docs/openapi.json is that document (regenerate: UPDATE_OPENAPI=1 pnpm vitest run openapi).
it('docs/openapi.json is the document the operations generate', () => {
  const generated = `${JSON.stringify(openApiDocument(operations), null, 2)}\n`;
  if (process.env.UPDATE_OPENAPI) writeFileSync(committed, generated);
  expect(
    readFileSync(committed, 'utf8'),
    'regenerate: UPDATE_OPENAPI=1 pnpm vitest run packages/server/src/operations/openapi.test.ts',
  ).toBe(generated);
});

it('describes every route of the router, every method, with its errors', () => {
  const doc = openApiDocument(operations) as Doc;
  const router = createRouter(routesOf(operations));
  for (const route of routesOf(operations)) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    for (const [method, operation] of Object.entries(route.methods)) {
      const described = doc.paths[path]?.[method.toLowerCase()];
      expect(described?.operationId, `${method} ${route.path}`).toBe(operation.name);
      expect(Object.keys(described!.responses), `${method} ${route.path}`).toContain('400');
      expect(router.resolve(method, route.path.replace(/:\w+/g, 'x')).operation).toBe(operation);
    }
  }
  const described = Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
  expect(described).toBe(Object.values(operations).filter((o) => o.http).length);
  expect(doc.paths['/conversations/{id}/messages']!.post!.responses).toHaveProperty('429');
});

it('serves it at GET /openapi.json, without credentials', async () => {
  const server = createChatServer({ secret: TEST_SECRET, migrate: false, database: { url: 'postgres://unused' }, logger: undefined });
  const res = await server.handler(new Request('http://localhost/openapi.json'));
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument(operations))));
  await server.close();
});

import { readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createChatServer } from '../chat-server';
import { createRouter, routesOf } from '../http/router';
import { TEST_SECRET } from '../../test/kit/test-server';
import { operations } from './index';
import { openApiDocument } from './openapi';
import { type OpenApiDocument, renderApiReference } from '../../../../tooling/api-reference';

const committed = new URL('../../../../docs/openapi.json', import.meta.url);
const referencePage = new URL('../../../../docs/api-reference.md', import.meta.url);
type Doc = { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };

// Issue 19: the description is generated from the operations, so a route and its description
// cannot disagree; docs/openapi.json is that document (regenerate it and docs/api-reference.md: `pnpm docs:api`).
it('docs/openapi.json is the document the operations generate, and docs/api-reference.md its rendering', () => {
  const document = openApiDocument(operations);
  const generated = `${JSON.stringify(document, null, 2)}\n`;
  const reference = renderApiReference(document as unknown as OpenApiDocument);
  if (process.env.UPDATE_OPENAPI) {
    writeFileSync(committed, generated);
    writeFileSync(referencePage, reference);
  }
  const stale = 'stale: run `pnpm docs:api` (rewrites docs/openapi.json and docs/api-reference.md from the operations) and commit both';
  expect(readFileSync(committed, 'utf8'), stale).toBe(generated);
  expect(readFileSync(referencePage, 'utf8'), stale).toBe(reference);
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
      // Issue 19: the success body is described too (http.response, a schema from @banter/core/protocol).
      const success = Object.entries(described!.responses).find(([status]) => status.startsWith('2'));
      expect(
        (success?.[1] as { content?: Record<string, { schema?: unknown }> })?.content?.['application/json']?.schema,
        `${method} ${route.path}: give ${operation.name}'s http binding a response schema (from @banter/core/protocol/responses.ts)`,
      ).toBeTruthy();
      expect(router.resolve(method, route.path.replace(/:\w+/g, 'x')).operation).toBe(operation);
    }
  }
  const described = Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
  expect(described).toBe(Object.values(operations).filter((o) => o.http).length);
  expect(doc.paths['/conversations/{id}/messages']!.post!.responses).toHaveProperty('429');
});

it('names the shared bodies under components.schemas, and every $ref resolves', () => {
  const doc = openApiDocument(operations) as Doc & { components: { schemas: Record<string, unknown> } };
  const schemas = doc.components.schemas;
  expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['Message', 'Conversation', 'MessagePage', 'User', 'Error']));
  expect(doc.paths['/conversations/{id}/messages']!.get!.responses['200']).toMatchObject({
    content: { 'application/json': { schema: { $ref: '#/components/schemas/MessagePage' } } },
  });
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
  expect(refs.length).toBeGreaterThan(10);
  expect(refs.filter((id) => !(id in schemas))).toEqual([]);
});

it('serves it at GET /openapi.json, without credentials', async () => {
  const server = createChatServer({ secret: TEST_SECRET, migrate: false, database: { url: 'postgres://unused' }, logger: undefined });
  const res = await server.handler(new Request('http://localhost/openapi.json'));
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument(operations))));
  await server.close();
});

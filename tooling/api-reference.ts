// Renders docs/api-reference.md from the OpenAPI description (docs/openapi.json): the page a reader
// browses, generated so it cannot disagree with the routes. `pnpm docs:api` rewrites both files;
// packages/server/src/operations/openapi.test.ts fails when either is stale.

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
  prefixItems?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  description?: string;
};
type Parameter = { name: string; in: string; required: boolean; schema: Schema };
type Response = { description: string; content?: Record<string, { schema: Schema }> };
type Operation = {
  operationId: string;
  summary?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, Response>;
};
export type OpenApiDocument = {
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const anchor = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) => `\`${text}\``;
const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

/** A schema as a short type: `string`, `integer ≥ 0`, `[Message](#message)[]`, `"PUT"`, `string \| null`. */
export function typeOf(schema: Schema | undefined): string {
  if (!schema || Object.keys(schema).length === 0) return 'any';
  if (schema.$ref) return `[${refName(schema.$ref)}](#${anchor(refName(schema.$ref))})`;
  if (schema.const !== undefined) return code(JSON.stringify(schema.const));
  if (schema.enum) return schema.enum.map((v) => code(JSON.stringify(v))).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map(typeOf).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return types.map((type) => typeOf({ ...schema, type })).join(' | ');
  const type = types[0];
  if (type === 'array') {
    if (schema.prefixItems) return `[${schema.prefixItems.map(typeOf).join(', ')}]`;
    return `${typeOf(schema.items)}[]`;
  }
  if (type === 'object') {
    if (schema.properties) return `{ ${Object.keys(schema.properties).join(', ')} }`;
    if (typeof schema.additionalProperties === 'object') return `map of ${typeOf(schema.additionalProperties)}`;
    return 'object';
  }
  if (type === 'null') return 'null';
  return `${type ?? 'any'}${schema.format ? ` (${schema.format})` : ''}`;
}

/** The limits a schema states, in words: `1-100`, `at most 4000 characters`, `default 30`. */
function limitsOf(schema: Schema): string {
  const notes: string[] = [];
  const max = schema.maximum !== undefined && schema.maximum < MAX_SAFE ? schema.maximum : undefined;
  if (schema.minimum !== undefined && max !== undefined) notes.push(`${schema.minimum}–${max}`);
  else if (schema.minimum !== undefined && schema.minimum !== 0) notes.push(`≥ ${schema.minimum}`);
  else if (max !== undefined) notes.push(`≤ ${max}`);
  if (schema.maxLength !== undefined) notes.push(`at most ${schema.maxLength} characters`);
  if (schema.minLength !== undefined && schema.minLength > 0) notes.push(`at least ${schema.minLength}`);
  if (schema.maxItems !== undefined) notes.push(`at most ${schema.maxItems} items`);
  if (schema.pattern && !schema.format) notes.push(`matches ${code(schema.pattern)}`);
  if (schema.default !== undefined) notes.push(`default ${code(JSON.stringify(schema.default))}`);
  if (schema.description) notes.push(schema.description);
  if (schema.items && schema.items.maxLength !== undefined) notes.push(`each at most ${schema.items.maxLength} characters`);
  return notes.join('; ');
}

function fieldTable(schema: Schema): string[] {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return [`Type: ${typeOf(schema)}.`];
  return [
    '| Field | Type | Required | Notes |',
    '| --- | --- | --- | --- |',
    ...properties.map(
      ([name, property]) =>
        `| ${code(name)} | ${cell(typeOf(property))} | ${schema.required?.includes(name) ? 'yes' : 'no'} | ${cell(limitsOf(property))} |`,
    ),
  ];
}

/**
 * The API reference page for an OpenAPI document: an index of the routes, one section per
 * operation (parameters, body, success body, errors) and the shared schemas.
 */
export function renderApiReference(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
  );
  const out: string[] = [
    '# API reference',
    '',
    '<!-- Generated from docs/openapi.json by tooling/api-reference.ts: do not edit; run `pnpm docs:api`. -->',
    '',
    `The HTTP API of \`@banter/server\` (${doc.info.title}, version ${doc.info.version}), relative to where the`,
    'handler is mounted (`basePath`). Every route is one operation of packages/server/src/operations/; the same',
    'operations are `chat.api` methods in process ([server.md](./server.md)). Machine-readable: `GET /openapi.json`',
    'and [openapi.json](./openapi.json). Errors always have the shape of [Error](#error); auth is',
    '`Authorization: Bearer <user token>` where a route says so.',
    '',
    '| Method | Path | Operation | Summary |',
    '| --- | --- | --- | --- |',
    ...operations.map(
      ({ path, method, operation }) =>
        `| ${method} | ${code(path)} | [${operation.operationId}](#${anchor(operation.operationId)}) | ${cell(operation.summary ?? '')} |`,
    ),
    '',
    '## Operations',
  ];
  for (const { path, method, operation } of operations) {
    out.push(
      '',
      `### ${operation.operationId}`,
      '',
      `\`${method} ${path}\`${operation.security ? ' · bearer token' : ' · no credentials'}`,
    );
    if (operation.summary) out.push('', `${operation.summary}.`);
    const parameters = operation.parameters ?? [];
    if (parameters.length > 0) {
      out.push('', '| Parameter | In | Type | Required | Notes |', '| --- | --- | --- | --- | --- |');
      for (const p of parameters) {
        out.push(`| ${code(p.name)} | ${p.in} | ${cell(typeOf(p.schema))} | ${p.required ? 'yes' : 'no'} | ${cell(limitsOf(p.schema))} |`);
      }
    }
    if (operation.requestBody) {
      const [type, { schema }] = Object.entries(operation.requestBody.content)[0]!;
      out.push('', `Request body (${code(type)}${operation.requestBody.required ? '' : ', optional'}):`, '', ...fieldTable(schema));
    }
    const responses = Object.entries(operation.responses);
    for (const [status, response] of responses.filter(([s]) => s.startsWith('2'))) {
      const schema = response.content?.['application/json']?.schema;
      out.push('', `**${status}**: ${schema ? typeOf(schema) : response.description}.`);
    }
    const errors = responses.filter(([s]) => !s.startsWith('2')).map(([s, r]) => `${s} ${r.description.split(', ').map(code).join(', ')}`);
    if (errors.length > 0) out.push('', `Errors: ${errors.join('; ')}.`);
  }
  out.push('', '## Schemas');
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    out.push('', `### ${name}`, '', ...fieldTable(schema));
  }
  return `${out.join('\n')}\n`;
}

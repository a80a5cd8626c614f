import { ERROR_STATUS, type ErrorCode, protocolSchemas } from '@banter/core/protocol';
import { z } from 'zod';
import type { Operation } from './types';

/** Answers every route may give: bad input, a Banter fault, the database down. */
const COMMON_ERRORS: ErrorCode[] = ['validation_failed', 'internal', 'unavailable'];

const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_STATUS).filter((c) => c !== 'network') },
        message: { type: 'string' },
        details: {},
      },
    },
  },
};

/**
 * The OpenAPI 3.1 description of the HTTP API, generated from the operations table: one path per
 * route, its parameters and body from the same zod schemas that validate requests, its success
 * status and body (`http.response`, named bodies under `components.schemas`) and the error codes it
 * may answer with. Served at `GET /openapi.json`; docs/openapi.json
 * is this document (a test keeps them equal).
 *
 * @example
 * ```ts
 * const document = openApiDocument(operations);
 * document.paths['/conversations/{id}/messages'].post.operationId; // 'sendMessage'
 * ```
 */
export function openApiDocument(operations: Record<string, Operation>): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of Object.values(operations)) {
    const http = operation.http;
    if (!http) continue;
    const path = http.path.replace(/:(\w+)/g, '{$1}');
    const segments = [...http.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const fields = new Set(segments.map((s) => http.params?.[s] ?? s));
    const schema = operation.input instanceof z.ZodObject ? operation.input : null;
    const mask = Object.fromEntries([...fields].filter((f) => schema && f in schema.shape).map((f) => [f, true] as const));
    const rest = schema ? schema.omit(mask as never) : null;
    const parameters: unknown[] = segments.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    if (http.input === 'query' && rest) {
      const json = z.toJSONSchema(rest, { io: 'input', unrepresentable: 'any' }) as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [name, property] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: 'query', required: json.required?.includes(name) ?? false, schema: property });
      }
    }
    const codes = new Set<ErrorCode>([...COMMON_ERRORS, ...((http.errors ?? []) as ErrorCode[])]);
    if (operation.actors.includes('user')) codes.add('unauthorized');
    if (http.input === 'json' || http.input === 'json?' || http.input === 'form') {
      codes.add('payload_too_large');
      codes.add('unsupported_media_type');
    }
    const responses: Record<string, unknown> = { [String(successStatus(operation))]: successResponse(http.response) };
    for (const code of [...codes].sort((a, b) => ERROR_STATUS[a] - ERROR_STATUS[b])) {
      const status = String(ERROR_STATUS[code]);
      const entry = (responses[status] as { description: string } | undefined) ?? {
        description: '',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
      entry.description = entry.description ? `${entry.description}, ${code}` : code;
      responses[status] = entry;
    }
    const body =
      http.input !== 'query' && http.input !== 'none' && rest
        ? {
            requestBody: {
              required: http.input !== 'json?',
              content: {
                [http.input === 'form' ? 'application/x-www-form-urlencoded' : 'application/json']: {
                  schema: z.toJSONSchema(rest, { io: 'input', unrepresentable: 'any' }),
                },
              },
            },
          }
        : {};
    paths[path] ??= {};
    paths[path][http.method.toLowerCase()] = {
      operationId: operation.name,
      summary: operation.summary,
      ...(operation.actors.includes('user') ? { security: [{ bearer: [] }] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...body,
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Banter chat API',
      version: '1',
      description: 'Generated from the operations of @banter/server (packages/server/src/operations/).',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { ...namedSchemas(), Error: errorBody },
    },
    paths,
  };
}

/** The status of a success: 201 for creating routes (they answer 200 for a repeat), else 200. */
function successStatus(operation: Operation): number {
  return operation.http?.status ? 201 : 200;
}

const ref = (id: string) => `#/components/schemas/${id}`;

/** The protocol's named schemas (`protocolSchemas`), as `components.schemas`, `$ref`ing each other. */
function namedSchemas(): Record<string, unknown> {
  // Input mode: no `additionalProperties: false`, so a field a newer server adds is not a breach.
  const { schemas } = z.toJSONSchema(protocolSchemas, { uri: ref, io: 'input', unrepresentable: 'any' });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _, $id: __, ...schema }]) => [id, schema]));
}

/** The success entry: a `$ref` to the body's named schema, or the schema inline. */
function successResponse(schema: z.ZodType | undefined): Record<string, unknown> {
  if (!schema) return { description: 'success' };
  const id = protocolSchemas.get(schema)?.id;
  const json = id ? { $ref: ref(id) } : z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return { description: id ?? 'success', content: { 'application/json': { schema: json } } };
}

import { METADATA_LIMITS, type Metadata } from '@banter/core/protocol';
import type { z } from 'zod';
import { ApiError } from '../errors/api-error';

/** The host's schemas for `metadata` (`createChatServer({ metadata })`); an absent one takes any JSON object. */
export interface MetadataSchemas {
  message?: z.ZodType;
  conversation?: z.ZodType;
}

type Out<S> = S extends z.ZodType ? z.output<S> : Metadata;

/**
 * The metadata types that follow from a host's schemas, for the client's type parameter.
 *
 * @example
 * ```ts
 * const metadata = { message: z.object({ orderId: z.string() }) };
 * const chat = createChatServer({ secret, metadata });
 * export type AppMetadata = InferChatMetadata<typeof metadata>;
 * // in the browser: createChatClient<AppMetadata>({ url, getToken })
 * ```
 */
export type InferChatMetadata<S extends MetadataSchemas> = { message: Out<S['message']>; conversation: Out<S['conversation']> };

const refuse = (kind: string, reason: string, problem: string, issues: { path: string; message: string }[] = []) =>
  new ApiError('unprocessable', `invalid ${kind} metadata; ${problem}`, { details: { reason, issues } });

/**
 * The metadata to store: the host's schema's output (its defaults and transforms applied) as plain
 * JSON, at most `METADATA_LIMITS.bytes` bytes; undefined stays undefined. Refused: 422
 * `unprocessable`, `details.reason` `metadata_invalid` (with zod's `issues`) or `metadata_too_large`.
 */
export function checkMetadata(
  schemas: MetadataSchemas | undefined,
  kind: 'message' | 'conversation',
  value: unknown,
): Metadata | undefined {
  if (value === undefined) return undefined;
  const schema = schemas?.[kind];
  let out: unknown = value;
  if (schema) {
    const result = schema.safeParse(value);
    if (!result.success) {
      const issues = result.error.issues.map((issue) => ({
        path: ['metadata', ...issue.path.map(String)].join('.'),
        message: issue.message,
      }));
      throw refuse(kind, 'metadata_invalid', `${issues[0]?.path}: ${issues[0]?.message}`, issues);
    }
    out = result.data;
  }
  // Stored and read back as JSON: what the sender gets is what everyone reads later.
  let json: string | undefined;
  try {
    json = JSON.stringify(out);
  } catch {}
  if (json === undefined || !json.startsWith('{')) throw refuse(kind, 'metadata_invalid', 'metadata must be a JSON object');
  const bytes = Buffer.byteLength(json);
  if (bytes > METADATA_LIMITS.bytes) {
    throw refuse(kind, 'metadata_too_large', `${bytes} bytes as JSON, at most ${METADATA_LIMITS.bytes}`);
  }
  return JSON.parse(json) as Metadata;
}

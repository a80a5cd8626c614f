import { identify } from '../auth/authenticate';
import { ApiError } from '../errors/api-error';
import { invokeOperation } from '../operations/invoke';
import type { Actor, Operation, OperationContext } from '../operations/types';
import { readFormBody, readJsonBody } from './body';
import type { RateLimitGuard } from './rate-limit-guard';
import { json } from './respond';

/** What the HTTP transport adds to an operation run: the request and the rate limits. */
export interface HttpRun {
  request: Request;
  url: URL;
  /** The route's path parameters, by segment name. */
  params: Record<string, string>;
  context: OperationContext;
  rateLimit: RateLimitGuard;
}

/**
 * Serve one operation over HTTP: who is calling (token or the host's `authenticate`) -> rate limit
 * (before the body is read: a refusal is cheap) -> the input from path, query or body -> the
 * operation, exactly as `chat.api` runs it -> the response.
 *
 * @example
 * ```ts
 * const { operation, params } = router.resolve(request.method, path);
 * return runHttpOperation(operation, { request, url, params, context, rateLimit });
 * ```
 */
export async function runHttpOperation(operation: Operation, run: HttpRun): Promise<Response> {
  const binding = operation.http!;
  const actor = await actorOf(operation, run);
  if (operation.rateLimit) {
    if (actor.kind === 'user') run.rateLimit.take(operation.rateLimit, actor.id, run.request);
    else run.rateLimit.anonymous(run.request);
  }
  const input = await inputOf(operation, run);
  const output = await invokeOperation(operation, run.context, actor, input);
  return json(binding.status?.(output) ?? 200, binding.body ? binding.body(output) : output);
}

async function actorOf(operation: Operation, run: HttpRun): Promise<Actor> {
  if (!operation.actors.includes('user')) return { kind: 'public' };
  const { state } = run.context;
  try {
    const identity = await identify(run.request, state.secret, state.authenticate);
    return { kind: 'user', id: identity.id, identity };
  } catch (error) {
    // Failed sign-ins count against the caller's address: guessing tokens gets a 429, not 401s forever.
    if (error instanceof ApiError && error.code === 'unauthorized') run.rateLimit.anonymous(run.request);
    throw error;
  }
}

/** The operation's one input object: the body's or the query's fields, and the path's parameters. */
async function inputOf(operation: Operation, run: HttpRun): Promise<unknown> {
  const binding = operation.http!;
  const limit = run.context.state.limits.requestBytes;
  let fields: unknown;
  if (binding.input === 'json') fields = await readJsonBody(run.request, limit);
  else if (binding.input === 'json?') fields = await readJsonBody(run.request, limit, { optional: true });
  else if (binding.input === 'form') fields = await readFormBody(run.request, limit);
  else if (binding.input === 'query') fields = Object.fromEntries(run.url.searchParams);
  else fields = {};
  const names = Object.entries(run.params);
  if (names.length === 0) return fields;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new ApiError('validation_failed', 'invalid input; expected a JSON object');
  }
  const input: Record<string, unknown> = { ...fields };
  for (const [segment, value] of names) {
    const field = binding.params?.[segment] ?? segment;
    if (field in input) {
      throw new ApiError(
        'validation_failed',
        `invalid input; ${field}: given in the path, not accepted in the ${binding.input === 'query' ? 'query' : 'body'}`,
        {
          details: [{ path: field, message: 'given in the path' }],
        },
      );
    }
    input[field] = value;
  }
  return input;
}

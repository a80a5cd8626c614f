import { ApiError, validationError } from '../errors/api-error';
import type { Actor, Operation, OperationContext } from './types';

/**
 * Run an operation as `actor`: the one path every HTTP route and every `chat.api` method takes.
 * Order: who may run it -> validate the input -> database ready, user synced -> run. A refusal
 * therefore has the same code and text however the call came in. (Rate limits, the operation's
 * `rateLimit`, are applied by the HTTP transport before it reads the body: only end users and
 * client IPs are limited, never the host's own calls.)
 *
 * @example
 * ```ts
 * const { message } = await invokeOperation(sendMessage, ctx, { kind: 'host', id: 'alice' }, { conversationId, body: 'hi' });
 * ```
 */
export async function invokeOperation<I, O>(
  operation: Operation<I, O, unknown, unknown>,
  ctx: OperationContext,
  actor: Actor,
  raw: unknown,
): Promise<O> {
  if (!operation.actors.includes(actor.kind)) {
    throw new ApiError('forbidden', `unable to ${operation.name}; it is not open to ${actor.kind} callers`);
  }
  const schema = (actor.kind === 'host' || actor.kind === 'system') && operation.hostInput ? operation.hostInput : operation.input;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error, 'input');
  // Validated before any database work, so bad input from a stranger costs nothing.
  if (actor.kind !== 'public' && operation.database !== false) await ctx.state.ensureReady();
  if (actor.kind === 'user') {
    await ctx.state.syncUser(actor.identity);
    // A banned user's token works for nothing (an app-wide ban), or for nothing in that conversation.
    await ctx.state.moderation?.checkUser(actor.id, parsed.data);
  }
  return operation.run(ctx, actor, parsed.data);
}

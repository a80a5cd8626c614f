import { BanterError, isTransient, toBanterError } from '../errors';
import { LIMITS } from '../protocol/limits';
import { addPending, findPending, removePending, setPendingStatus } from '../reducer-messages';
import type { LocalMessage, SendInput } from '../types';
import { uuid } from '../uuid';
import { createTimers, type ClientContext } from './context';
import type { ConversationSync } from './conversation-sync';
import type { Files } from './files';
import type { SavedSend } from './saved-sends';

// Refused before or by the server for what the message is (text, size, type): a retry cannot help.
const FINAL_STATUS = [400, 413, 415];

/**
 * Optimistic sending: per conversation a queue of clientIds in send order with one request in flight,
 * so the server assigns seqs in the order the user sent. Passing failures keep a message first in
 * line with backoff; `blocked()` (offline) holds everything until `resume()`.
 *
 * @example
 * const queue = createSendQueue(ctx, conversations, () => connection.offline());
 * queue.send(id, 'hello');
 */
export function createSendQueue(ctx: ClientContext, conversations: ConversationSync, blocked: () => boolean, files: Files) {
  const { dispatch, get, snapshot } = ctx;
  const queues = new Map<string, string[]>();
  const inFlight = new Map<string, string>();
  const waiting = createTimers(ctx.platform);
  // Consecutive passing failures of a conversation's head send: the backoff grows until one succeeds.
  const failures = new Map<string, number>();

  const dequeue = (id: string, clientId: string) => {
    const queue = queues.get(id) ?? [];
    if (queue.includes(clientId)) queue.splice(queue.indexOf(clientId), 1);
    if (!queue.length) queues.delete(id);
  };

  async function pump(id: string): Promise<void> {
    // Offline: everything waits, in order, for the connection to come back, as the widget's
    // offline banner promises.
    if (ctx.closed || inFlight.has(id) || waiting.has(id) || blocked() || !ctx.platform.online()) return;
    const clientId = queues.get(id)?.[0];
    if (clientId === undefined) return;
    const message = get(id)?.messages.find((m) => m.seq === null && m.clientId === clientId);
    if (message?.status !== 'sending') {
      dequeue(id, clientId);
      return pump(id);
    }
    inFlight.set(id, clientId);
    try {
      const attachments = await files.upload(id, message);
      // Fields left undefined stay out of the JSON.
      const stored = await ctx.http.sendMessage(id, { ...message.sending, clientId, body: message.body, attachments });
      failures.delete(id);
      dequeue(id, clientId);
      conversations.merge(id, [stored]);
      files.release(clientId);
      conversations.fillGaps(id);
    } catch (error) {
      const e = toBanterError(error);
      // A server restarting or its database briefly gone (503), too many sends (429) or no answer
      // at all pass: the message stays first in line for a later attempt (the chaos run's restarts
      // left sends 'failed' for the user to retry). The clientId makes a resend safe.
      if (!findPending(snapshot(), clientId)) {
        // Cancelled while its files uploaded (discard): the message is gone, nothing to report or retry.
        failures.delete(id);
        dequeue(id, clientId);
      } else if (!isTransient(e) || ctx.closed) {
        failures.delete(id);
        dequeue(id, clientId);
        dispatch((s) => setPendingStatus(s, id, clientId, 'failed', e));
        ctx.report(e, { clientId, conversationId: id });
      } else {
        const attempt = (failures.get(id) ?? 0) + 1;
        failures.set(id, attempt);
        const delay = ctx.timings.sendBackoff(attempt);
        ctx.log(`send retry: conversation ${id}, message ${clientId}, attempt ${attempt + 1} in ${delay} ms (${e.message})`);
        waiting.set(id, delay, () => void pump(id));
      }
    } finally {
      inFlight.delete(id);
    }
    return pump(id);
  }

  function enqueue(id: string, clientId: string) {
    queues.set(id, [...(queues.get(id) ?? []), clientId]);
    void pump(id);
  }

  /** A message of ours not confirmed yet: `sending`, or `failed` with its error. */
  const local = (
    conversationId: string,
    clientId: string,
    body: string,
    createdAt: string,
    error?: BanterError,
    more?: Pick<LocalMessage, 'files' | 'sending'>,
  ): LocalMessage => ({
    id: null,
    seq: null,
    conversationId,
    senderId: snapshot().me?.id ?? '',
    clientId,
    body,
    createdAt,
    editedAt: null,
    deletedAt: null,
    status: error ? 'failed' : 'sending',
    ...(error ? { error } : {}),
    ...more,
  });

  function send(conversationId: string, input: string | SendInput): LocalMessage {
    const { body, files: added, ...extra } = typeof input === 'string' ? ({ body: input } as SendInput) : input;
    // What the server would refuse fails here, visibly, without a request.
    const invalid = !body.trim()
      ? 'a message needs some text'
      : body.length > LIMITS.messageLength
        ? `messages are at most ${LIMITS.messageLength} characters`
        : null;
    const clientId = uuid();
    const attached = added?.length ? files.add(clientId, added) : undefined;
    const message = local(
      conversationId,
      clientId,
      body,
      new Date().toISOString(),
      invalid ? new BanterError('validation_failed', `unable to send message; ${invalid}`) : undefined,
      { sending: extra, ...(attached && { files: attached }) },
    );
    const add = () => {
      dispatch((s) => addPending(s, message));
      if (message.error) ctx.report(message.error, { clientId: message.clientId, conversationId });
      else enqueue(conversationId, message.clientId);
    };
    if (get(conversationId)) add();
    else conversations.ensureConversation(conversationId).then(add, (e) => ctx.report(e, { clientId: message.clientId, conversationId }));
    return message;
  }

  return {
    send,
    retry(clientId: string) {
      const message = findPending(snapshot(), clientId);
      // A message refused for what it is (empty, too long, a file too big or of a refused type) stays failed.
      if (message?.status !== 'failed' || FINAL_STATUS.includes(message.error?.status ?? 0)) return;
      dispatch((s) => setPendingStatus(s, message.conversationId, clientId, 'sending'));
      enqueue(message.conversationId, clientId);
    },
    discard(clientId: string) {
      const message = findPending(snapshot(), clientId);
      // In flight: only while its files upload (they abort); once the message itself is sent, too late.
      if (!message || (inFlight.get(message.conversationId) === clientId && !files.cancel(clientId))) return false;
      dequeue(message.conversationId, clientId);
      dispatch((s) => removePending(s, message.conversationId, clientId));
      files.release(clientId);
      return true;
    },
    /** A message saved before a reload: shown again (with its quote, thread, mentions, metadata), and queued when it was still sending. */
    restore(saved: SavedSend, error?: BanterError) {
      const { conversationId, clientId } = saved;
      dispatch((s) => addPending(s, local(conversationId, clientId, saved.body, saved.createdAt, error, { sending: saved.sending })));
      if (!error) enqueue(conversationId, clientId);
    },
    /** Back online: every queue tries again now, whatever its backoff said. */
    resume() {
      for (const id of queues.keys()) {
        waiting.clear(id);
        void pump(id);
      }
    },
    dispose: waiting.dispose,
  };
}

import { BanterError, isTransient } from '../errors';
import type { ErrorCode } from '../protocol/errors';
import type { Persisted } from '../storage';
import type { LocalMessage } from '../types';
import type { ClientContext } from './context';
import type { ConversationSync } from './conversation-sync';

/** A pending or failed send as stored: enough to show it again and to resend it with the same clientId. */
export interface SavedSend {
  clientId: string;
  conversationId: string;
  body: string;
  createdAt: string;
  /** What it is sent with besides its text (replyTo, threadId, showInChannel, mentions, metadata): JSON already. */
  sending?: LocalMessage['sending'];
  failed?: { code: ErrorCode; message: string; status: number };
}

/**
 * The send queue, persisted: every pending and failed message of the store is written to the
 * client's storage, so a reload or a crash shows them again and resends the pending ones. The
 * clientId is the idempotency key, so a message the server stored before the crash is stored once.
 *
 * @example
 * const saved = createSavedSends(ctx, persisted(storage, 'banter:/api:alice:outbox', report), conversations, queue.restore);
 * await saved.restore();
 */
export function createSavedSends(
  ctx: ClientContext,
  box: Persisted<SavedSend[]>,
  conversations: ConversationSync,
  restoreOne: (saved: SavedSend, error?: BanterError) => void,
) {
  let restored = false;
  // The clientIds this client answers for: others in storage (another tab's) are left as they are.
  const owned = new Set<string>();
  let last = '';
  let unsubscribe = () => {};

  function pendingNow(): SavedSend[] {
    const out: SavedSend[] = [];
    const { conversations: all, conversationOrder } = ctx.snapshot();
    for (const id of conversationOrder) {
      const messages = all[id]!.messages;
      // Pending and failed messages come last: the walk stops at the first confirmed one.
      let first = messages.length;
      while (first > 0 && messages[first - 1]!.seq === null) first--;
      for (const m of messages.slice(first)) {
        // Files cannot be stored: after a reload the message shows failed, to attach them again.
        const e = m.files
          ? new BanterError('validation_failed', 'unable to send message; its files were lost in a reload: attach them again')
          : m.error;
        out.push({
          clientId: m.clientId,
          conversationId: id,
          body: m.body,
          createdAt: m.createdAt,
          ...(m.sending ? { sending: m.sending } : {}),
          ...(e ? { failed: { code: e.code, message: e.message, status: e.status } } : {}),
        });
      }
    }
    return out;
  }

  function save() {
    const mine = pendingNow();
    const text = JSON.stringify(mine);
    if (!restored || text === last) return;
    last = text;
    for (const m of mine) owned.add(m.clientId);
    box.update((stored = []) => {
      const next = [...stored.filter((s) => !owned.has(s.clientId)), ...mine];
      return next.length ? next : undefined;
    });
  }

  return {
    async restore() {
      const stored = (await box.read()) ?? [];
      if (ctx.closed) return;
      for (const s of Array.isArray(stored) ? stored : []) {
        try {
          await conversations.ensureConversation(s.conversationId);
        } catch (error) {
          // Gone or no longer ours: dropped. Unreachable now: kept for the next start.
          if (!isTransient(error)) owned.add(s.clientId);
          continue;
        }
        owned.add(s.clientId);
        // Already stored and loaded (the crash came after the server's answer): nothing to show twice.
        if (ctx.get(s.conversationId)?.messages.some((m) => m.clientId === s.clientId)) continue;
        const f = s.failed;
        restoreOne(s, f && new BanterError(f.code, f.message, { status: f.status }));
      }
      // Edits, deletes, reactions and pins queued before the reload: their code loads only for some,
      // without holding `ready` back; a load that fails (offline) leaves them stored for the next start.
      if ((await ctx.box?.<unknown[]>('changes').read())?.length) {
        import('./message-lifecycle').then((m) => m.restoreChanges(ctx), ctx.report);
      }
      if (ctx.closed) return;
      restored = true;
      unsubscribe = ctx.subscribe(save);
      save();
    },
    dispose: () => unsubscribe(),
  };
}

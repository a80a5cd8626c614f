import { isTransient } from '../errors';
import type { ReadResponse } from '../protocol/schemas';
import { lastConfirmedSeq } from '../reducer';
import { applyOwnRead } from '../reducer-messages';
import type { ReadReceiptMode } from '../types';
import { createTimers, type ClientContext } from './context';

/**
 * The user's own read cursor. `'active'`: while a conversation is active and the page visible,
 * what arrives or loads is read. `'seen'`: only what the UI reported on screen with `seen()`
 * (an IntersectionObserver per message), while the page is visible and focused. Debounced, and
 * the cursor only moves forward.
 *
 * @example
 * const reads = createReadReceipts(ctx, 'seen');
 * reads.seen(conversationId, 42);
 */
export function createReadReceipts(ctx: ClientContext, initialMode: ReadReceiptMode = 'active') {
  const { dispatch, get, snapshot, platform } = ctx;
  let mode = initialMode;
  const timers = createTimers(platform);
  const requested = new Map<string, number>();
  // 'seen' mode: the highest seq the UI reported on screen, per conversation.
  const seenUpTo = new Map<string, number>();

  /** The seq the cursor may move to now, or 0 when nothing may be marked. */
  function target(id: string): number {
    const cs = get(id);
    if (!cs || ctx.closed || !platform.visible()) return 0;
    const last = lastConfirmedSeq(cs);
    if (mode === 'seen') return platform.focused() ? Math.min(last, seenUpTo.get(id) ?? 0) : 0;
    return snapshot().activeConversationId === id ? last : 0;
  }

  function schedule(id: string) {
    if (!target(id)) return;
    timers.set(id, ctx.timings.readDebounce, () => {
      const seq = target(id);
      const c = get(id)?.conversation;
      if (!seq || !c || (seq <= c.lastReadSeq && !c.unreadCount)) return;
      if ((requested.get(id) ?? 0) >= seq) return;
      requested.set(id, seq);
      markRead(id, seq).catch((error) => {
        requested.delete(id);
        ctx.report(error, { conversationId: id });
      });
    });
  }

  async function markRead(id: string, seq?: number) {
    const cs = get(id);
    if (cs) {
      const to = seq ?? Math.max(cs.conversation.lastSeq, lastConfirmedSeq(cs));
      if (to <= cs.conversation.lastReadSeq && !cs.conversation.unreadCount) return;
      dispatch((s) => applyOwnRead(s, id, to));
    }
    const reply = await sendRead(id, seq);
    dispatch((s) => applyOwnRead(s, id, reply.lastReadSeq, reply.unreadCount));
  }

  // The cursor was moved here already (optimistically): a read the server never got would leave this
  // client ahead of the server and of the other participants for good, so passing failures are
  // retried (moving a cursor forward again is harmless).
  async function sendRead(id: string, seq: number | undefined, attempt = 1): Promise<ReadResponse> {
    try {
      return await ctx.http.markRead(id, seq);
    } catch (error) {
      if (ctx.closed || attempt >= 6 || !isTransient(error)) throw error;
      await new Promise((resolve) => platform.setTimeout(() => resolve(0), ctx.timings.sendBackoff(attempt)));
      return sendRead(id, seq, attempt + 1);
    }
  }

  // Back in view: what was reported (or arrived) while hidden or unfocused is read now.
  const offFocus = platform.onFocusChange(() => {
    const active = snapshot().activeConversationId;
    for (const id of mode === 'seen' ? seenUpTo.keys() : active ? [active] : []) schedule(id);
  });

  return {
    markRead,
    schedule,
    seen(id: string, seq: number) {
      if (seq > (seenUpTo.get(id) ?? 0)) seenUpTo.set(id, seq);
      schedule(id);
    },
    setMode(next: ReadReceiptMode) {
      if (next === mode) return;
      mode = next;
      // A debounced read planned under the other mode may cover messages nobody reported.
      timers.dispose();
      const active = snapshot().activeConversationId;
      if (active) schedule(active);
    },
    dispose() {
      offFocus();
      timers.dispose();
    },
  };
}

import { LIMITS } from '../protocol/limits';
import type { Conversation, ConversationPage, Message, MessagePage } from '../protocol/schemas';
import { firstGap, lastConfirmedSeq, setLoadingOlder, upsertConversations } from '../reducer';
import { mergeMessages } from '../reducer-messages';
import { createTimers, type ClientContext } from './context';

/** The lowest seq a page proves we hold from: its first message, or 1 when nothing is older. */
const lowerBound = (page: MessagePage) => (page.hasMore ? (page.messages[0]?.seq ?? 1) : 1);

/**
 * Conversations and their messages kept whole: the list pages, fetching a conversation a message
 * arrived for, history pages, and the gap fill / catch-up (`messages?after=`) that keeps every
 * conversation's confirmed messages contiguous.
 *
 * @example
 * const conversations = createConversationSync(ctx);
 * await conversations.load(id);
 */
export function createConversationSync(ctx: ClientContext) {
  const { http, dispatch, get } = ctx;
  const syncs = new Map<string, { promise: Promise<void>; again: boolean; tail: boolean }>();
  const fetching = new Map<string, Promise<Conversation>>();
  const holds = createTimers(ctx.platform);
  let listCursor: string | null = null;
  let listLoaded = false;

  /** Merges server messages; emits `message` for the ones new to the store (not for history pages). */
  function merge(conversationId: string, messages: Message[], from?: number) {
    const before = get(conversationId);
    if (!before) return;
    const known = new Set(before.messages.map((m) => m.seq));
    dispatch((s) => mergeMessages(s, conversationId, messages, from === undefined ? {} : { from }));
    for (const message of messages) {
      if (known.has(message.seq) || (from !== undefined && message.seq <= before.conversation.lastSeq)) continue;
      known.add(message.seq);
      ctx.events.emit('message', { conversationId, message });
    }
  }

  function insert(conversation: Conversation) {
    dispatch((s) => upsertConversations(s, [conversation]));
    return get(conversation.id)?.conversation ?? conversation;
  }

  /** Fetches a conversation the store does not know yet (a message for it arrived) and inserts it. */
  function ensureConversation(id: string): Promise<Conversation> {
    const known = get(id);
    if (known) return Promise.resolve(known.conversation);
    let pending = fetching.get(id);
    if (!pending) {
      pending = http
        .getConversation(id)
        .then(insert)
        .finally(() => fetching.delete(id));
      fetching.set(id, pending);
    }
    return pending;
  }

  /**
   * Makes a conversation's messages contiguous (with `tail`: up to the server's latest too) with
   * `messages?after=`. One run at a time per conversation; a request during a run makes it run again.
   */
  function sync(id: string, tail: boolean): Promise<void> {
    holds.clear(id);
    const running = syncs.get(id);
    if (running) {
      running.again = true;
      running.tail ||= tail;
      return running.promise;
    }
    const entry = { promise: Promise.resolve(), again: true, tail };
    syncs.set(id, entry);
    entry.promise = (async () => {
      try {
        while (entry.again && !ctx.closed) {
          entry.again = false;
          let tailDone = !entry.tail;
          entry.tail = false;
          // Bounded: every round fills something or stops.
          for (let round = 0; round < 1000 && !ctx.closed; round++) {
            const cs = get(id);
            if (!cs) break;
            const gap = firstGap(cs);
            const last = lastConfirmedSeq(cs);
            const after = gap ?? (tailDone || (!cs.loaded && !last) ? null : last);
            if (after === null) break;
            ctx.log(`${gap !== null ? 'gap fill' : 'catch-up'}: conversation ${id} after seq ${after}`);
            const page = await http.listMessages(id, { after, limit: LIMITS.pageMax });
            merge(id, page.messages);
            if (!page.messages.length && gap !== null) break; // the server has nothing there: stop, do not loop
            if (gap === null && (!page.hasMore || !page.messages.length)) tailDone = true;
          }
        }
      } finally {
        syncs.delete(id);
      }
    })();
    return entry.promise;
  }

  /**
   * Fetches what is missing when a seq was skipped. Realtime may deliver events out of order (or
   * twice), so a gap first waits `gapHold` ms for the missing event: a burst costs no request.
   */
  function fillGaps(id: string) {
    const run = () => {
      const cs = get(id);
      if (cs && firstGap(cs) !== null) sync(id, false).catch((e) => ctx.report(e, { conversationId: id }));
    };
    const cs = get(id);
    if (!cs || firstGap(cs) === null || holds.has(id)) return;
    if (ctx.timings.gapHold > 0) holds.set(id, ctx.timings.gapHold, run);
    else run();
  }

  async function list(options: { cursor?: string | null; limit?: number } = {}): Promise<ConversationPage> {
    const { cursor, limit = LIMITS.pageDefault } = options;
    const page = await http.listConversations(cursor ? { limit, cursor } : { limit });
    const extendsList = !cursor || cursor === listCursor;
    if (extendsList) {
      listCursor = page.nextCursor;
      listLoaded = true;
    }
    dispatch((s) => upsertConversations(s, page.conversations, extendsList ? page.nextCursor !== null : undefined));
    return page;
  }

  async function load(id: string) {
    await ensureConversation(id);
    if (get(id)!.loaded) {
      // Already shown: fetch only what came since, so the list stays contiguous.
      await sync(id, true);
    } else {
      const page = await http.listMessages(id, { limit: LIMITS.pageDefault });
      merge(id, page.messages, lowerBound(page));
      await sync(id, false);
    }
  }

  async function loadOlder(id: string): Promise<boolean> {
    const cs = get(id);
    if (!cs?.loaded) {
      await load(id);
      return !!get(id)?.hasOlder;
    }
    const first = cs.syncedFrom ?? 1;
    // One page at a time: an infinite scroll fires often.
    if (first <= 1 || cs.loadingOlder) return first > 1;
    dispatch((s) => setLoadingOlder(s, id, true));
    try {
      const page = await http.listMessages(id, { before: first, limit: LIMITS.pageDefault });
      merge(id, page.messages, lowerBound(page));
    } finally {
      dispatch((s) => setLoadingOlder(s, id, false));
    }
    return !!get(id)?.hasOlder;
  }

  return {
    merge,
    insert,
    ensureConversation,
    sync,
    fillGaps,
    list,
    async loadMore() {
      if (!listLoaded) await list();
      else if (listCursor !== null) await list({ cursor: listCursor });
      return listCursor !== null;
    },
    listLoaded: () => listLoaded,
    load,
    loadOlder,
    dispose: holds.dispose,
  };
}
export type ConversationSync = ReturnType<typeof createConversationSync>;

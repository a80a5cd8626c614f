import type { MessageDeletedEvent, MessageUpdatedEvent, ReactionSummary, ReactionUpdatedEvent } from '../protocol/lifecycle';
import { REACTION_NAMED_USERS } from '../protocol/lifecycle-limits';
import type { Metadata } from '../protocol/metadata';
import type { Message } from '../protocol/schemas';
import type { ThreadUpdatedEvent } from '../protocol/threads';
import type { ConversationState, LocalMessage } from '../types';
import { updateConversation } from '../reducer';
import type { ClientContext } from './context';
import { withThreads } from './thread-patch';

/*
 * A message's life after it was sent: edit, delete and reactions, optimistic with rollback, and the
 * events that tell about them (`message.updated`, `message.deleted`, `reaction.updated`,
 * `thread.updated`). Loaded lazily, on the first such call or event: it imports only types, and
 * updateConversation from the store's reducer (the script-tag widget ships it as a chunk of its own,
 * that reducer taken from widget.js), and the reaction limits from a module without zod.
 * Each event applies once: `version` only grows, counts are totals, a deleted message stays deleted.
 */

type Patch = Partial<LocalMessage>;

/**
 * One message (by id) changed through `change`, in the messages and in the list preview; the same
 * state when it is unknown or `change` returns it as it was.
 */
export function patchMessage(cs: ConversationState, messageId: string, change: (m: LocalMessage) => LocalMessage): ConversationState {
  const at = cs.messages.findIndex((m) => m.id === messageId);
  const last = cs.conversation.lastMessage;
  let next = cs;
  if (at >= 0) {
    const m = change(cs.messages[at]!);
    if (m !== cs.messages[at]) {
      const messages = [...cs.messages];
      messages[at] = m;
      next = { ...cs, messages };
    }
  }
  // Not loaded: the list shows the server's last message.
  if (last?.id === messageId) {
    const { status, version, ...m } = change({ ...last, clientId: last.clientId ?? last.id, status: 'sent' });
    if (m.body !== last.body || m.deletedAt !== last.deletedAt) {
      next = { ...next, conversation: { ...next.conversation, lastMessage: { ...m, clientId: last.clientId } as Message } };
    }
  }
  return next;
}

/** `message.updated` (an edit, a pin) with its message; stale versions and deleted messages stay as they are. */
export function applyUpdated(cs: ConversationState, event: MessageUpdatedEvent & { message: Message }): ConversationState {
  const u = event.message;
  return patchMessage(cs, event.messageId, (m) =>
    event.version <= (m.version ?? 0) || m.deletedAt
      ? m
      : { ...m, ...u, pinnedAt: u.pinnedAt, pinnedBy: u.pinnedBy, clientId: m.clientId, status: m.status, version: event.version },
  );
}

/** `message.deleted`: body and files gone, `deletedAt` set; the quotes of it read as deleted too. */
export function applyDeleted(
  cs: ConversationState,
  event: Pick<MessageDeletedEvent, 'messageId' | 'version' | 'deletedAt'>,
): ConversationState {
  const next = patchMessage(cs, event.messageId, (m) =>
    event.version <= (m.version ?? 0) ? m : { ...m, ...gone(event.deletedAt), version: event.version },
  );
  const messages = next.messages.map((m) =>
    m.replyTo?.id === event.messageId && !m.replyTo.deletedAt
      ? { ...m, replyTo: { ...m.replyTo, body: '', deletedAt: event.deletedAt } }
      : m,
  );
  return messages.some((m, i) => m !== next.messages[i]) ? { ...next, messages } : next;
}

/** What a deletion takes away. */
const gone = (deletedAt: string): Patch => ({ body: '', deletedAt, attachments: undefined, reactions: undefined, pinnedAt: undefined });

/** `reaction.updated`: the emoji's new total; `reactedByMe` moves only for the user's own reaction. */
export function applyReaction(cs: ConversationState, event: ReactionUpdatedEvent, meId: string | undefined): ConversationState {
  return patchMessage(cs, event.messageId, (m) => {
    const list = m.reactions ?? [];
    const old = list.find((r) => r.emoji === event.emoji);
    const reactedByMe = event.userId === meId ? event.reacted : !!old?.reactedByMe;
    if (m.deletedAt || (old ? old.count === event.count && old.reactedByMe === reactedByMe : !event.count)) return m;
    // The first few who reacted are named: the one who came or went moves in or out of them.
    const userIds = (old?.userIds ?? []).filter((id) => id !== event.userId);
    if (event.reacted && userIds.length < REACTION_NAMED_USERS) userIds.push(event.userId);
    const r = { emoji: event.emoji, count: event.count, reactedByMe, userIds };
    const reactions = old ? list.map((x) => (x === old ? r : x)).filter((x) => x.count > 0) : [...list, r];
    return { ...m, reactions: reactions.length ? reactions : undefined };
  });
}

/** `thread.updated`: the root's reply count and latest reply (counts only grow). */
export function applyThread(cs: ConversationState, event: ThreadUpdatedEvent): ConversationState {
  return patchMessage(cs, event.messageId, (m) =>
    event.replyCount <= (m.replyCount ?? 0) ? m : { ...m, replyCount: event.replyCount, lastReplyAt: event.lastReplyAt },
  );
}

/** The user's reactions after toggling `emoji` (what the server will answer, shown before it does). */
export function toggled(list: ReactionSummary[] = [], emoji: string): ReactionSummary[] {
  const old = list.find((r) => r.emoji === emoji);
  if (!old) return [...list, { emoji, count: 1, reactedByMe: true }];
  const count = old.count + (old.reactedByMe ? -1 : 1);
  return list.flatMap((r) => (r !== old ? [r] : count ? [{ emoji, count, reactedByMe: !old.reactedByMe }] : []));
}

/** One conversation of the store changed through the reducer's rules, and its loaded threads alike. */
const update = (ctx: ClientContext, id: string, change: (cs: ConversationState) => ConversationState) =>
  ctx.dispatch((s) => withThreads(updateConversation(s, id, change), id, change));

const path = (id: string, messageId: string, rest = '') =>
  `/conversations/${encodeURIComponent(id)}/messages/${encodeURIComponent(messageId)}${rest}`;

// One change at a time, in the order asked: a double click on a reaction sends PUT, then DELETE.
let tail: Promise<unknown> = Promise.resolve();

/**
 * Shows `optimistic` at once, runs `request`, then takes the server's fields; on failure puts back
 * what `optimistic` changed (unless something newer changed it since) and rejects.
 */
function act(
  ctx: ClientContext,
  id: string,
  messageId: string,
  optimistic: (m: LocalMessage) => Patch,
  request: () => Promise<Patch> | undefined,
): Promise<void> {
  let before: LocalMessage | undefined;
  let shown: Patch = {};
  const run = async () => {
    update(ctx, id, (cs) =>
      patchMessage(cs, messageId, (m) => {
        // Called for the message, then for the list preview when it is the same one.
        if (!before) shown = optimistic((before = m));
        return { ...m, ...shown };
      }),
    );
    try {
      const answer = await request();
      if (!answer) throw new Error('[banter] this HttpApi has no route for message changes');
      update(ctx, id, (cs) => patchMessage(cs, messageId, (m) => ({ ...m, ...answer })));
    } catch (error) {
      const keys = Object.keys(shown) as (keyof LocalMessage)[];
      update(ctx, id, (cs) =>
        patchMessage(cs, messageId, (m) =>
          before && keys.every((k) => m[k] === shown[k]) ? { ...m, ...Object.fromEntries(keys.map((k) => [k, before![k]])) } : m,
        ),
      );
      throw error;
    }
  };
  const done = tail.then(run, run);
  tail = done.catch(() => {});
  return done;
}

/** The server's copy of a message, keeping what the store knows of it that a reply may lack. */
const fields = ({ message: { clientId, ...m } }: { message: Message }): Patch => m;

export const edit = (ctx: ClientContext, id: string, messageId: string, body: string, metadata?: Metadata) =>
  act(
    ctx,
    id,
    messageId,
    () => ({ body, editedAt: new Date().toISOString(), ...(metadata && { metadata }) }),
    () => ctx.http.call?.<{ message: Message }>('PATCH', path(id, messageId), { body, metadata }).then(fields),
  );

export const remove = (ctx: ClientContext, id: string, messageId: string) =>
  act(
    ctx,
    id,
    messageId,
    () => gone(new Date().toISOString()),
    () => ctx.http.call?.<{ message: Message }>('DELETE', path(id, messageId)).then(fields),
  );

export const toggleReaction = (ctx: ClientContext, id: string, messageId: string, emoji: string) => {
  let on = true;
  return act(
    ctx,
    id,
    messageId,
    (m) => {
      on = !m.reactions?.find((r) => r.emoji === emoji)?.reactedByMe;
      return { reactions: toggled(m.reactions, emoji) };
    },
    () =>
      ctx.http
        .call?.<{ reactions: ReactionSummary[] }>(
          on ? 'PUT' : 'DELETE',
          path(id, messageId, `/reactions/${encodeURIComponent(emoji)}`),
          true,
        )
        .then(({ reactions }) => ({ reactions: reactions.length ? reactions : undefined })),
  );
};

/** `client.messages.edit`, `delete` and `toggleReaction`. */
export const createLifecycle = (ctx: ClientContext) => ({
  edit: (id: string, messageId: string, body: string, options?: { metadata?: Metadata }) =>
    edit(ctx, id, messageId, body, options?.metadata),
  delete: (id: string, messageId: string) => remove(ctx, id, messageId),
  toggleReaction: (id: string, messageId: string, emoji: string) => toggleReaction(ctx, id, messageId, emoji),
});

/** A realtime event of a message's life, applied to the store (fetching the message when the event was too large to carry it). */
export async function onEvent(ctx: ClientContext, name: string, data: unknown): Promise<void> {
  const e = data as MessageUpdatedEvent & MessageDeletedEvent & ReactionUpdatedEvent & ThreadUpdatedEvent;
  const id = e.conversationId;
  if (name === 'message.updated') {
    const message = e.message ?? (await ctx.http.listMessages(id, { after: e.seq - 1, limit: 1 })).messages[0];
    if (message?.id === e.messageId) update(ctx, id, (cs) => applyUpdated(cs, { ...e, message }));
  } else
    update(ctx, id, (cs) =>
      name === 'message.deleted'
        ? applyDeleted(cs, e)
        : name === 'reaction.updated'
          ? applyReaction(cs, e, ctx.snapshot().me?.id)
          : applyThread(cs, e),
    );
}

import type { MessageDeletedEvent, MessageUpdatedEvent, ReactionSummary, ReactionUpdatedEvent } from '../protocol/lifecycle';
import { REACTION_NAMED_USERS } from '../protocol/lifecycle-limits';
import type { Metadata } from '../protocol/metadata';
import type { Message } from '../protocol/schemas';
import type { ThreadUpdatedEvent } from '../protocol/threads';
import type { ConversationState, LocalMessage } from '../types';
import { updateConversation } from '../reducer';
import { changeQueue, type Change } from './change-queue';
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

/** The message as change `c` shows it; the same object when it does already (or is deleted). */
function display(c: Change, m: LocalMessage, me?: string): LocalMessage {
  const mine = !!m.reactions?.find((r) => r.emoji === c.emoji)?.reactedByMe;
  const p: Patch | undefined = m.deletedAt
    ? undefined
    : c.kind === 'edit'
      ? m.body !== c.body || (c.metadata && m.metadata !== c.metadata)
        ? { body: c.body, editedAt: c.at, ...(c.metadata && { metadata: c.metadata }) }
        : undefined
      : c.kind === 'delete'
        ? gone(c.at)
        : c.kind === 'react'
          ? mine === c.on
            ? undefined
            : { reactions: toggled(m.reactions, c.emoji!) }
          : !m.pinnedAt === !c.on
            ? undefined
            : { pinnedAt: c.on ? c.at : undefined, pinnedBy: c.on ? me : null };
  if (!p) return m;
  // Called for the message, then for the list preview when it is the same one: the first is kept.
  c.before ??= Object.fromEntries(Object.keys(p).map((k) => [k, m[k as keyof LocalMessage]]));
  return { ...m, ...p };
}

/** `m` with what `c` changed put back, unless something newer changed it since. */
function undo(c: Change, m: LocalMessage): LocalMessage {
  return (c.kind === 'delete' ? m.deletedAt !== c.at : m.deletedAt || display(c, m) !== m) ? m : { ...m, ...c.before };
}

/** The server's copy of a message, keeping what the store knows of it that a reply may lack. */
const fields = ({ message: { clientId, ...m } }: { message: Message }): Patch => m;

/** Sends `c`; its answer (the message, or a reaction's summary) goes into the store. */
async function send(ctx: ClientContext, c: Change): Promise<Message | undefined> {
  const rest = c.kind === 'react' ? `/reactions/${encodeURIComponent(c.emoji!)}` : c.kind === 'pin' ? '/pin' : '';
  const method = c.kind === 'edit' ? 'PATCH' : c.kind === 'delete' || !c.on ? 'DELETE' : 'PUT';
  const json = c.kind === 'edit' ? { body: c.body, metadata: c.metadata } : c.kind === 'react' || undefined;
  const answer = await ctx.http.call?.<{ message: Message; reactions: ReactionSummary[] }>(method, path(c.id, c.messageId, rest), json);
  if (!answer) throw new Error('[banter] this HttpApi has no route for message changes');
  const { reactions } = answer;
  const patch: Patch = reactions ? { reactions: reactions.length ? reactions : undefined } : fields(answer);
  update(ctx, c.id, (cs) => patchMessage(cs, c.messageId, (m) => ({ ...m, ...patch })));
  return answer.message;
}

/** The client's change queue (change-queue.ts), over the rules above; made by its first change or restore. */
const queueOf = (ctx: ClientContext) => {
  const each = (c: Change, rule: (c: Change, m: LocalMessage) => LocalMessage) =>
    update(ctx, c.id, (cs) => patchMessage(cs, c.messageId, (m) => rule(c, m)));
  return changeQueue(ctx, {
    show: (c) => each(c, (c, m) => display(c, m, ctx.snapshot().me?.id)),
    undo: (c) => each(c, undo),
    send: (c) => send(ctx, c),
  });
};

/**
 * Shows change `c` at once and queues it: it settles once the server applied it, however long the
 * client was offline; it rejects, shown as before, when the server refuses it.
 */
const change = (ctx: ClientContext, c: Omit<Change, 'at'>) => queueOf(ctx).add({ ...c, at: new Date().toISOString() });

/** The changes queued before a reload, shown and sent again (saved-sends.ts, when storage has some). */
export const restoreChanges = (ctx: ClientContext) => void queueOf(ctx);

export const edit = (ctx: ClientContext, id: string, messageId: string, body: string, metadata?: Metadata) =>
  change(ctx, { kind: 'edit', id, messageId, body, metadata }) as Promise<void>;

export const remove = (ctx: ClientContext, id: string, messageId: string) =>
  change(ctx, { kind: 'delete', id, messageId }) as Promise<void>;

export const toggleReaction = (ctx: ClientContext, id: string, messageId: string, emoji: string) => {
  // Whether the user reacted, as shown (wherever the message is: loaded, a list preview, a thread).
  let mine: boolean | undefined;
  update(ctx, id, (cs) => patchMessage(cs, messageId, (m) => ((mine ??= !!m.reactions?.find((r) => r.emoji === emoji)?.reactedByMe), m)));
  return change(ctx, { kind: 'react', id, messageId, emoji, on: !mine, from: !!mine }) as Promise<void>;
};

export const pin = (ctx: ClientContext, id: string, messageId: string, on: boolean) =>
  change(ctx, { kind: 'pin', id, messageId, on }) as Promise<Message>;

/**
 * `client.messages.edit`, `delete`, `toggleReaction`, `pin` and `unpin`: optimistic, queued while
 * offline (and across reloads), each promise settling once the server applied the change.
 */
export const createLifecycle = (ctx: ClientContext) => ({
  edit: (id: string, messageId: string, body: string, options?: { metadata?: Metadata }) =>
    edit(ctx, id, messageId, body, options?.metadata),
  delete: (id: string, messageId: string) => remove(ctx, id, messageId),
  toggleReaction: (id: string, messageId: string, emoji: string) => toggleReaction(ctx, id, messageId, emoji),
  pin: (id: string, messageId: string) => pin(ctx, id, messageId, true),
  unpin: (id: string, messageId: string) => pin(ctx, id, messageId, false),
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

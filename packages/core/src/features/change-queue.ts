import { isTransient } from '../errors';
import type { Metadata } from '../protocol/metadata';
import type { LocalMessage } from '../types';
import type { ClientContext } from './context';

/** A change the user made to a message, as queued and as stored (JSON) for a reload. */
export interface Change {
  kind: 'edit' | 'delete' | 'react' | 'pin';
  /** The conversation. */
  id: string;
  messageId: string;
  /** When it was made: the `editedAt`, `deletedAt` or `pinnedAt` shown until the server answers. */
  at: string;
  body?: string;
  metadata?: Metadata;
  emoji?: string;
  /** react, pin: the state wanted (reacted, pinned). */
  on?: boolean;
  /** react: the state before the first toggle queued; unknown (unset) once a request went out. */
  from?: boolean;
  /** What showing the change replaced, put back when the server refuses it. */
  before?: Partial<LocalMessage>;
  /** Waited for the connection (or came from storage): a message gone by then drops it quietly. */
  queued?: boolean;
}

interface Waiter {
  ok(value: unknown): void;
  fail(error: unknown): void;
}

/** What the queue asks of the changes it holds (message-lifecycle.ts). */
export interface ChangeRules {
  /** Shows `c` in the store (again: after a page or an answer replaced the message). */
  show(c: Change): void;
  /** Puts back what `c` changed, when nothing newer changed it since. */
  undo(c: Change): void;
  /** Sends `c` and takes the server's answer into the store. */
  send(c: Change): Promise<unknown>;
}

/**
 * The offline queue of message changes (edits, deletes, reactions, pins), one per client, FIFO and
 * one request at a time, like the send queue: a change refused for a passing reason (no answer,
 * 503, 429, see isTransient) stays shown and waits, with the send queue's backoff, for the
 * connection (`connection` event, `online`); while offline nothing is tried. Kept in the client's
 * storage (`<prefix><user>:changes`) and restored after a reload. Waiting changes coalesce: the
 * newest body of a message wins, a reaction is its final state (toggled twice: nothing to send), a
 * delete replaces the message's other changes. A refusal (403, 422...) puts the change back and
 * rejects; a waited-for change to a message gone by then (404, 409 deleted) is dropped quietly.
 *
 * @example
 * const queue = createChangeQueue(ctx, { show, undo, send });
 * await queue.add({ kind: 'edit', id, messageId, at: new Date().toISOString(), body: 'fixed' });
 */
export function createChangeQueue(ctx: ClientContext, rules: ChangeRules) {
  const entries: Change[] = [];
  const waiters = new Map<Change, Waiter[]>();
  let busy: Change | undefined;
  let timer: unknown;
  let attempt = 0;
  const box = ctx.box?.<Change[]>('changes');
  let restored = !box;
  const save = () => restored && box?.update(() => (entries.length ? entries : undefined));
  const blocked = () => !ctx.platform.online() || /offline|unavailable/.test(ctx.snapshot().connection);

  function settle(c: Change, failed: boolean, value?: unknown) {
    const list = waiters.get(c) ?? [];
    waiters.delete(c);
    // Restored from storage: nobody awaits it, so the refusal is told as an error event.
    if (failed && !list.length) ctx.report(value, { conversationId: c.id });
    for (const w of list) (failed ? w.fail : w.ok)(value);
  }
  const drop = (c: Change) => {
    entries.splice(entries.indexOf(c), 1);
    save();
  };

  async function pump(): Promise<void> {
    const c = entries[0];
    if (!c || busy || timer || !restored || ctx.closed || blocked()) return;
    busy = c;
    try {
      const value = await rules.send(c);
      attempt = 0;
      drop(c);
      settle(c, false, value);
    } catch (error) {
      if (isTransient(error) && !ctx.closed) {
        c.queued = true;
        c.from = undefined;
        save();
        timer = ctx.platform.setTimeout(() => {
          timer = undefined;
          void pump();
        }, ctx.timings.sendBackoff(++attempt));
      } else {
        drop(c);
        rules.undo(c);
        const status = (error as { status?: number } | undefined)?.status;
        if (c.queued && (status === 404 || status === 409)) settle(c, false);
        else settle(c, true, error);
      }
    }
    busy = undefined;
    return pump();
  }

  function resume() {
    ctx.platform.clearTimeout(timer);
    timer = undefined;
    void pump();
  }
  ctx.events.on('connection', ({ current }) => current === 'connected' && resume());
  // A closed client lets go of the page's `online` event at the next one.
  const off = ctx.platform.onOnlineChange(() => (ctx.closed ? off() : resume()));

  // A page, an event or an earlier change's answer replaced a message: what still waits shows again
  // (not while a change is being added: what it replaces is still queued then).
  let showing = false;
  const quietly = (run: () => void) => {
    const was = showing;
    showing = true;
    try {
      run();
    } finally {
      showing = was;
    }
  };
  const showAll = () => {
    for (const c of entries) rules.show(c);
  };
  ctx.subscribe(() => showing || quietly(showAll));

  void box?.read().then((stored) => {
    if (Array.isArray(stored)) entries.unshift(...stored.map((c) => ({ ...c, queued: true })));
    restored = true;
    quietly(showAll);
    save();
    void pump();
  });

  return {
    /** Shows `c` at once and queues it; settles once the server applied it (or it came to nothing). */
    add(c: Change): Promise<unknown> {
      c.queued = blocked() || !!timer;
      quietly(() => rules.show(c));
      return new Promise((ok, fail) => {
        const mine = [{ ok, fail }];
        const waiting = entries.filter((e) => e !== busy && e.messageId === c.messageId);
        const same = waiting.find((e) => e.kind === c.kind && e.emoji === c.emoji);
        if (c.kind === 'delete') {
          for (const e of waiting) {
            mine.push(...(waiters.get(e) ?? []));
            waiters.delete(e);
            entries.splice(entries.indexOf(e), 1);
          }
        }
        if (same && c.kind !== 'delete') {
          Object.assign(same, { body: c.body, metadata: c.metadata, on: c.on });
          waiters.set(same, [...(waiters.get(same) ?? []), ...mine]);
          if (same.kind === 'react' && same.on === same.from) {
            drop(same);
            settle(same, false);
          }
        } else {
          entries.push(c);
          waiters.set(c, mine);
        }
        save();
        void pump();
      });
    },
  };
}

/** The queue of each client, made on first use (by a change, or by the restore on start). */
const queues = new WeakMap<ClientContext, ReturnType<typeof createChangeQueue>>();
export function changeQueue(ctx: ClientContext, rules: ChangeRules) {
  let q = queues.get(ctx);
  if (!q) queues.set(ctx, (q = createChangeQueue(ctx, rules)));
  return q;
}

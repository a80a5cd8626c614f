import type { ChatClient, LocalMessage, QuotedMessage } from '@banter/core';
import { useEffect, useState } from 'preact/hooks';
import { useWidget } from '../context';
import { excerpt, nameOf, repliesSayer } from './say';

/** The composer's quote preview: who and what is being answered, with × to cancel. */
export function QuotePreview({ conversationId, m, onCancel }: { conversationId: string; m: LocalMessage; onCancel(): void }) {
  const widget = useWidget();
  const { say } = repliesSayer(widget);
  const name = nameOf(widget.client, conversationId, m.senderId);
  return (
    <div class="quoting">
      <p>
        <strong>{say('replyingTo', { name })}</strong>
        <span dir="auto">{m.deletedAt ? say('quoteDeleted') : excerpt(m.body)}</span>
      </p>
      <button type="button" class="icon" aria-label={say('cancelReply')} onClick={onCancel}>
        ×
      </button>
    </div>
  );
}

/**
 * Brings a message of the view's list on screen, focused and highlighted for a moment (false when
 * it is not there).
 */
export function jumpTo(pane: Element, seq: number | null | undefined): boolean {
  const el = pane.querySelector<HTMLElement>(`.msg[data-seq="${seq}"]`);
  if (!el) return false;
  el.scrollIntoView?.({ block: 'center' });
  if (el.hasAttribute('tabindex')) el.focus({ preventScroll: true });
  el.classList.add('flash');
  setTimeout(() => el.classList.remove('flash'), 2000);
  return true;
}

/** How far back a quote's original is looked for: pages of older history loaded (30 messages each, LIMITS.pageDefault), at most. */
export const FIND_PAGES = 40;
const PAGE = 30;

/**
 * The seq of a quote's original once it is in the store: loads older pages back to it (the quote's
 * `seq`, or page by page when the server did not say), at most `FIND_PAGES`. Null when it is not
 * there (further back, or a thread reply that does not show in the conversation).
 */
export async function findOriginal(client: ChatClient, conversationId: string, q: QuotedMessage): Promise<number | null> {
  const conv = () => client.store.getSnapshot().conversations[conversationId];
  const seqOf = () => conv()?.messages.find((x) => x.id === q.id)?.seq ?? null;
  // Known to be further back than that: load nothing.
  if (seqOf() === null && q.seq !== undefined && (conv()?.syncedFrom ?? 1) - q.seq > FIND_PAGES * PAGE) return null;
  for (let page = 0; seqOf() === null && page < FIND_PAGES; page++) {
    // The list's own infinite scroll may be loading a page: wait for it instead of asking twice.
    if (conv()?.loadingOlder)
      await new Promise<void>((done) => {
        const stop = client.store.subscribe(() => !conv()?.loadingOlder && (stop(), done()));
      });
    const from = conv()?.syncedFrom ?? 1;
    if ((q.seq !== undefined && from <= q.seq) || !(await client.messages.loadOlder(conversationId))) break;
  }
  return seqOf();
}

// Each reply's search, by its clientId: the list may mount its quote anew while older pages come
// in above (the day groups change), so the state lives here, not in the component.
const finding = new Map<string, 'finding' | 'missing'>();
const watchers = new Set<() => void>();
const setFinding = (key: string, status: 'finding' | 'missing' | null) => {
  status ? finding.set(key, status) : finding.delete(key);
  for (const w of watchers) w();
};

/** The quote above a reply's bubble; a click goes to the original, loading history back to it ("message deleted" once it is). */
export function Quote({ m, conversationId }: { m: LocalMessage; conversationId: string }) {
  const widget = useWidget();
  const { say } = repliesSayer(widget);
  const [, rerender] = useState(0);
  useEffect(() => {
    const w = () => rerender((n) => n + 1);
    watchers.add(w);
    return () => void watchers.delete(w);
  }, []);
  const status = finding.get(m.clientId);
  const q = m.replyTo!;
  const name = nameOf(widget.client, conversationId, q.senderId);
  const go = async (pane: Element | null) => {
    const original = widget.client.store.getSnapshot().conversations[conversationId]?.messages.find((x) => x.id === q.id);
    if (!pane || jumpTo(pane, original?.seq) || status === 'finding') return;
    setFinding(m.clientId, 'finding');
    const seq = await findOriginal(widget.client, conversationId, q).catch(() => null);
    // The list renders the loaded pages on its next frames: wait for the message, bounded.
    for (let i = 0; seq !== null && i < 60; i++) {
      if (jumpTo(pane, seq)) return setFinding(m.clientId, null);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    setFinding(m.clientId, 'missing');
  };
  return (
    <>
      <button
        type="button"
        class="quote"
        aria-label={say('quoteOf', { name })}
        onClick={(e) => void go(e.currentTarget.closest('.view-pane'))}
      >
        <strong>{name}</strong>
        <span dir="auto">{q.deletedAt ? say('quoteDeleted') : excerpt(q.body)}</span>
      </button>
      {status && (
        <span role="status" class="quote-status">
          {say(status === 'finding' ? 'quoteFinding' : 'quoteMissing')}
        </span>
      )}
    </>
  );
}

/** "3 replies" under a thread's root: opens the thread panel. */
export function RepliesLink({ m }: { m: LocalMessage }) {
  const widget = useWidget();
  const { plural } = repliesSayer(widget);
  return (
    <button type="button" class="replies" onClick={() => widget.openThread?.(m)}>
      {plural('replies', m.replyCount!)}
    </button>
  );
}

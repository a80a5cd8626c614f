import type { LocalMessage } from '@banter/core';
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
 * Brings a message of the list on screen, focused and highlighted for a moment (false when it is
 * not loaded).
 */
export function jumpTo(from: Element, seq: number | null | undefined): boolean {
  const el = from.closest('.view-pane')?.querySelector<HTMLElement>(`.msg[data-seq="${seq}"]`);
  if (!el) return false;
  el.scrollIntoView?.({ block: 'center' });
  if (el.hasAttribute('tabindex')) el.focus({ preventScroll: true });
  el.classList.add('flash');
  setTimeout(() => el.classList.remove('flash'), 2000);
  return true;
}

/** The quote above a reply's bubble; a click goes to the original ("message deleted" once it is). */
export function Quote({ m, conversationId }: { m: LocalMessage; conversationId: string }) {
  const widget = useWidget();
  const { say } = repliesSayer(widget);
  const q = m.replyTo!;
  const name = nameOf(widget.client, conversationId, q.senderId);
  const original = () => widget.client.store.getSnapshot().conversations[conversationId]?.messages.find((x) => x.id === q.id);
  return (
    <button type="button" class="quote" aria-label={say('quoteOf', { name })} onClick={(e) => jumpTo(e.currentTarget, original()?.seq)}>
      <strong>{name}</strong>
      <span dir="auto">{q.deletedAt ? say('quoteDeleted') : excerpt(q.body)}</span>
    </button>
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

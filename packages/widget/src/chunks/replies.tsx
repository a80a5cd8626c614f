// Lazy chunk: replies, threads and mentions (issue 14, docs/widget.md#replies-threads-and-mentions):
// the composer's quote preview and mention autocomplete, the quote above a reply (a click goes to
// the original, loading older pages back to it), "N replies" under a thread's root, and the thread panel. Loaded with the first
// reply started, thread opened, quote or thread root on screen, or '@' typed (widget.js holds only
// the hooks); its English strings come with it (locales/replies-en.ts). Text stays text, never HTML.
import type { LocalMessage } from '@banter/core';
import { useChunkCss } from '../lazy/chunk-css';
import { Mentions as MentionList, type MentionsProps, mentioned, type Person } from '../replies/mentions';
import { QuotePreview as Preview, Quote as QuoteBlock, RepliesLink } from '../replies/quote';
import { ThreadPanel as Panel, type ThreadPanelProps } from '../replies/thread-panel';

const CSS =
  '.quoting{display:flex;align-items:center;gap:8px;padding:6px 10px;border-top:1px solid var(--bd);background:var(--sf);font-size:13px}' +
  '.quoting p{flex:1;min-width:0;display:flex;flex-direction:column}.quoting span,.quote span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:100%}' +
  '.quote{display:flex;flex-direction:column;text-align:left;max-width:100%;font-size:12px;padding:3px 8px;margin-bottom:2px;' +
  'border-left:3px solid var(--ac);background:var(--sf);border-radius:6px;color:var(--mu)}.quote-status{display:block;font-size:12px;color:var(--mu)}.quote strong,.quoting strong{color:var(--tx)}' +
  '.replies{font-size:12px;color:var(--ln);padding:2px 4px;text-decoration:underline}.msg.flash .bubble{outline:2px solid var(--ac)}' +
  '.mention-box{position:relative}.mentions{position:absolute;bottom:0;left:8px;z-index:5;min-width:180px;padding:4px;list-style:none;' +
  'background:var(--bg);border:1px solid var(--bd);border-radius:8px;box-shadow:0 4px 16px #0003}' +
  '.mentions div{padding:6px 10px;border-radius:6px;cursor:pointer}.mentions [aria-selected=true]{background:var(--bb)}' +
  '.thread-wrap{display:flex;flex:1;min-height:0}.thread{display:flex;flex-direction:column;flex:1;min-height:0}.thread>.scroll{flex:1;overflow:auto;padding:8px 12px;display:flex;flex-direction:column;gap:8px}' +
  '.thread ul{list-style:none;display:flex;flex-direction:column;gap:8px}.reply .who{font-size:12px;color:var(--mu)}.reply .who strong{color:var(--tx)}' +
  '.reply.root{padding-bottom:8px;border-bottom:1px solid var(--bd)}.reply .bubble{display:inline-block}.reply.sending{opacity:.7}' +
  '.also{display:flex;gap:6px;align-items:center;font-size:13px;padding:0 12px 8px}';

export { mentioned };

export interface ComposerExtrasProps extends Omit<MentionsProps, 'onPick'> {
  /** The people picked so far (the composer sends those still named in the text). */
  picks: Person[];
  /** Sets the composer's text (and draft). */
  write(text: string): void;
  replyTo?: LocalMessage | null;
  onCancelReply?(): void;
}

/** What the composer shows above its box: the quote preview, and mention suggestions while typing `@name`. */
export function ComposerExtras({ picks, write, replyTo, onCancelReply, ...props }: ComposerExtrasProps) {
  const keys: MentionsProps['keys'] = {};
  // The mention list's keys first; then Escape drops the quote.
  props.keys.current = (e) => !!keys.current?.(e) || (e.key === 'Escape' && !!replyTo && !!onCancelReply && (onCancelReply(), true));
  return (
    <div class="mention-box" ref={useChunkCss<HTMLDivElement>(CSS)}>
      {replyTo && onCancelReply && <Preview conversationId={props.conversationId} m={replyTo} onCancel={onCancelReply} />}
      <MentionList
        {...props}
        keys={keys}
        onPick={(text, caret, user) => {
          picks.push(user);
          // The box's text and caret now, not on the next frame: keys typed meanwhile went where the
          // caret was and a late move put the rest before them ("here" came out "ereh").
          const box = props.box.current;
          if (box) {
            box.value = text;
            box.setSelectionRange(caret, caret);
          }
          write(text);
        }}
      />
    </div>
  );
}

/** The quote above a reply's bubble, or (`below`) the "N replies" link under a thread's root. */
export function Quote({ m, conversationId, below }: { m: LocalMessage; conversationId: string; below?: boolean }) {
  const ref = useChunkCss<HTMLDivElement>(CSS);
  return <div ref={ref}>{below ? <RepliesLink m={m} /> : <QuoteBlock m={m} conversationId={conversationId} />}</div>;
}

export function ThreadPanel(props: ThreadPanelProps) {
  return (
    <div class="thread-wrap" ref={useChunkCss<HTMLDivElement>(CSS)}>
      <Panel {...props} />
    </div>
  );
}

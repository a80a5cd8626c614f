import { LIMITS, type LocalMessage } from '@banter/core';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useWidget } from '../context';
import { loadAttachments, loadEmojiPicker, loadReplies } from '../lazy/chunks';
import { useChunk } from '../lazy/use-chunk';

export interface ComposerProps {
  conversationId: string;
  /** Called after a message was handed to the client (the view scrolls to the bottom). */
  onSent?(): void;
  /** Take focus when shown (the user just opened the conversation). */
  autoFocus?: boolean;
  /** The message being answered: quoted above the box, sent as `replyTo`. */
  replyTo?: LocalMessage | null;
  onCancelReply?(): void;
  /** A thread's composer (the thread panel's): sends with `threadId` and `showInChannel`. */
  threadId?: string;
  showInChannel?: boolean;
  /** More controls under the box (the thread panel's "Also send to conversation"). */
  children?: ComponentChildren;
}

// Show the counter once 90% of the limit is used, so the limit is never a surprise.
const WARN_AT = Math.floor(LIMITS.messageLength * 0.9);

/** The message box: Enter sends, Shift+Enter adds a line, the length limit shows before it is hit. */
export function Composer({ conversationId, onSent, autoFocus, replyTo, onCancelReply, threadId, showInChannel, children }: ComposerProps) {
  const { client, tr } = useWidget();
  // A thread's draft is its own (and its id: two composers on screen).
  const key = threadId ? `${conversationId}-${threadId}` : conversationId;
  // The draft survives closing the conversation and reloading the page (the client stores it).
  const [text, setText] = useState(() => client.drafts.get(key));
  // Quotes and mentions are the replies chunk's (loaded with the first reply or '@').
  const replies = useChunk(loadReplies, !!replyTo || text.includes('@')).module;
  const keys = useRef<(e: KeyboardEvent) => boolean>();
  const picks = useRef<{ id: string; name: string }[]>([]);
  const write = (value: string) => {
    setText(value);
    client.drafts.set(key, value);
  };
  const ref = useRef<HTMLTextAreaElement>(null);
  const length = text.length;
  const over = length - LIMITS.messageLength;
  // Files to send with the message; the tray (a lazy chunk) lists them and takes out refused ones.
  const [files, setFiles] = useState<File[]>([]);
  const tray = useChunk(loadAttachments, files.length > 0).module;
  const pick = useRef<HTMLInputElement>(null);
  // Files picked, dropped or pasted (the tray checks them, and core again before any request).
  const take = (e: Event, list?: FileList | null) => {
    if (list?.length) {
      e.preventDefault();
      setFiles([...files, ...list]);
    }
  };
  const canSend = (text.trim().length > 0 || files.length > 0) && over <= 0;
  const counterId = `bt-limit-${key}`;
  const [picking, setPicking] = useState(false);
  const picker = useChunk(loadEmojiPicker, picking).module;
  useEffect(() => {
    if (autoFocus || replyTo) ref.current?.focus();
  }, [replyTo]);

  const send = () => {
    if (!canSend) return;
    // The server wants some text: a message of files alone says their names.
    client.messages.send(conversationId, {
      body: text.trim() ? text : files.map((f) => f.name).join(', '),
      files,
      replyTo: replyTo?.id as string | undefined,
      threadId,
      showInChannel,
      mentions: replies?.mentioned(text, picks.current),
    });
    picks.current = [];
    setFiles([]);
    write('');
    onSent?.();
    ref.current?.focus();
  };

  // The emoji goes where the caret is (or replaces the selection).
  const insert = (emoji: string) => {
    const box = ref.current!;
    const value = box.value.slice(0, box.selectionStart) + emoji + box.value.slice(box.selectionEnd);
    const caret = box.selectionStart + emoji.length;
    // The box's text and caret now, not on the next frame (as a picked mention's, replies.tsx): keys
    // typed meanwhile went where the caret was, and the late move put the emoji after them.
    box.focus();
    box.value = value;
    box.setSelectionRange(caret, caret);
    write(value);
    setPicking(false);
  };

  return (
    <form
      class="composer-wrap"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => take(e, e.dataTransfer?.files)}
    >
      {length >= WARN_AT && (
        <p id={counterId} class={`limit${over > 0 ? ' over' : ''}`}>
          {over > 0 ? tr.plural('charsOver', over) : tr.plural('charsLeft', -over)}
        </p>
      )}
      {tray && <tray.Tray files={files} setFiles={setFiles} />}
      {replies && (
        <replies.ComposerExtras
          conversationId={conversationId}
          box={ref}
          text={text}
          keys={keys}
          picks={picks.current}
          write={write}
          replyTo={replyTo}
          onCancelReply={onCancelReply}
        />
      )}
      <div class="composer">
        <label class="sr" for={`bt-input-${key}`}>
          {tr.t('composerLabel')}
        </label>
        <textarea
          id={`bt-input-${key}`}
          ref={ref}
          rows={Math.min(5, text.split('\n').length)}
          dir="auto"
          placeholder={tr.t('composerPlaceholder')}
          value={text}
          aria-invalid={over > 0 ? 'true' : undefined}
          aria-describedby={length >= WARN_AT ? counterId : undefined}
          onInput={(e) => {
            const value = e.currentTarget.value;
            write(value);
            if (value.trim()) client.typing(conversationId);
          }}
          onPaste={(e) => take(e, e.clipboardData?.files)}
          onKeyDown={(e) => {
            // The mention list's keys, and Escape dropping the quote (replies chunk): not the popup's.
            if (keys.current?.(e)) {
              e.preventDefault();
              e.stopPropagation();
              return;
            }
            // isComposing: Enter that confirms an IME candidate (Japanese, Chinese...) must not send.
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
        {client.uploadLimits && (
          <>
            <button type="button" class="icon" aria-label={tr.t('attach')} onClick={() => pick.current?.click()}>
              📎
            </button>
            <input
              ref={pick}
              type="file"
              multiple
              hidden
              onChange={(e) => {
                take(e, e.currentTarget.files);
                e.currentTarget.value = '';
              }}
            />
          </>
        )}
        <button type="button" class="icon" aria-label={tr.t('insertEmoji')} aria-expanded={picking} onClick={() => setPicking(!picking)}>
          ☺
        </button>
        {picking && picker && (
          <picker.EmojiPicker
            label={tr.t('insertEmoji')}
            onPick={insert}
            onClose={() => {
              setPicking(false);
              ref.current?.focus();
            }}
          />
        )}
        <button type="submit" class="sendbtn" disabled={!canSend}>
          {tr.t('send')}
        </button>
      </div>
      {children}
    </form>
  );
}

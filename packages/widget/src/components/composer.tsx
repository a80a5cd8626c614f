import { LIMITS } from '@banter/core';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useWidget } from '../context';
import { loadAttachments, loadEmojiPicker } from '../lazy/chunks';
import { useChunk } from '../lazy/use-chunk';

export interface ComposerProps {
  conversationId: string;
  /** Called after a message was handed to the client (the view scrolls to the bottom). */
  onSent?(): void;
  /** Take focus when shown (the user just opened the conversation). */
  autoFocus?: boolean;
}

// Show the counter once 90% of the limit is used, so the limit is never a surprise.
const WARN_AT = Math.floor(LIMITS.messageLength * 0.9);

/** The message box: Enter sends, Shift+Enter adds a line, the length limit shows before it is hit. */
export function Composer({ conversationId, onSent, autoFocus }: ComposerProps) {
  const { client, tr } = useWidget();
  // The draft survives closing the conversation and reloading the page (the client stores it).
  const [text, setText] = useState(() => client.drafts.get(conversationId));
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
  const counterId = `bt-limit-${conversationId}`;
  const [picking, setPicking] = useState(false);
  const picker = useChunk(loadEmojiPicker, picking).module;
  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, []);

  const send = () => {
    if (!canSend) return;
    // The server wants some text: a message of files alone says their names.
    client.messages.send(conversationId, { body: text.trim() ? text : files.map((f) => f.name).join(', '), files });
    setFiles([]);
    setText('');
    client.drafts.set(conversationId, '');
    onSent?.();
    ref.current?.focus();
  };

  // The emoji goes where the caret is (or replaces the selection).
  const insert = (emoji: string) => {
    const box = ref.current!;
    const value = box.value.slice(0, box.selectionStart) + emoji + box.value.slice(box.selectionEnd);
    const caret = box.selectionStart + emoji.length;
    setText(value);
    client.drafts.set(conversationId, value);
    setPicking(false);
    box.focus();
    requestAnimationFrame(() => box.setSelectionRange(caret, caret));
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
      <div class="composer">
        <label class="sr" for={`bt-input-${conversationId}`}>
          {tr.t('composerLabel')}
        </label>
        <textarea
          id={`bt-input-${conversationId}`}
          ref={ref}
          rows={Math.min(5, text.split('\n').length)}
          dir="auto"
          placeholder={tr.t('composerPlaceholder')}
          value={text}
          aria-invalid={over > 0 ? 'true' : undefined}
          aria-describedby={length >= WARN_AT ? counterId : undefined}
          onInput={(e) => {
            const value = e.currentTarget.value;
            setText(value);
            client.drafts.set(conversationId, value);
            if (value.trim()) client.typing(conversationId);
          }}
          onPaste={(e) => take(e, e.clipboardData?.files)}
          onKeyDown={(e) => {
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
    </form>
  );
}

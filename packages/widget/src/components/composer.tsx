import { LIMITS } from '@banter/core';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useWidget } from '../context';
import { loadEmojiPicker } from '../lazy/chunks';
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
  const canSend = text.trim().length > 0 && over <= 0;
  const counterId = `bt-limit-${conversationId}`;
  const [picking, setPicking] = useState(false);
  const picker = useChunk(loadEmojiPicker, picking).module;
  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, []);

  const send = () => {
    if (!canSend) return;
    client.messages.send(conversationId, text);
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
    >
      {length >= WARN_AT && (
        <p id={counterId} class={`limit${over > 0 ? ' over' : ''}`}>
          {over > 0 ? tr.plural('charsOver', over) : tr.plural('charsLeft', -over)}
        </p>
      )}
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
          onKeyDown={(e) => {
            // isComposing: Enter that confirms an IME candidate (Japanese, Chinese...) must not send.
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
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

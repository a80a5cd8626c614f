import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Say } from './say';

/** Escape in a box of the message: handled here (the popup around must not close too). */
const onEscape = (run: () => void) => (e: KeyboardEvent) => {
  if (e.key !== 'Escape') return;
  e.preventDefault();
  e.stopPropagation();
  run();
};

export interface EditBoxProps {
  body: string;
  say: Say;
  /** The new text (only when it changed and has some). */
  onSave(body: string): void;
  onCancel(): void;
}

/** The bubble as a textarea: Enter (or Save) saves, Shift+Enter adds a line, Escape (or Cancel) cancels. */
export function EditBox({ body, say, onSave, onCancel }: EditBoxProps) {
  const [text, setText] = useState(body);
  const ref = useRef<HTMLTextAreaElement>(null);
  useLayoutEffect(() => {
    const box = ref.current!;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }, []);
  // Too long is for the server to refuse (a chunk has no @banter/core): the edit then rolls back.
  const ok = text.trim().length > 0;
  const save = () => {
    if (!ok) return;
    if (text === body) onCancel();
    else onSave(text);
  };
  return (
    <fieldset class="editing" aria-label={say('editLabel')} onKeyDown={onEscape(onCancel)}>
      <textarea
        ref={ref}
        dir="auto"
        aria-label={say('editLabel')}
        rows={Math.min(5, text.split('\n').length + 1)}
        value={text}
        aria-invalid={ok ? undefined : 'true'}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          // isComposing: Enter that confirms an IME candidate must not save.
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            save();
          }
        }}
      />
      <div class="act-bar">
        <button type="button" onClick={onCancel}>
          {say('cancel')}
        </button>
        <button type="button" class="primary" disabled={!ok} onClick={save}>
          {say('saveEdit')}
        </button>
      </div>
    </fieldset>
  );
}

/** "Delete this message for everyone?" inline, Cancel focused (the safe choice); Escape cancels. */
export function ConfirmDelete({ say, onDelete, onCancel }: { say: Say; onDelete(): void; onCancel(): void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    cancel.current!.focus();
    cancel.current!.scrollIntoView?.({ block: 'nearest' });
  }, []);
  return (
    <fieldset class="act-bar confirm" aria-label={say('confirmDelete')} onKeyDown={onEscape(onCancel)}>
      <span aria-hidden="true">{say('confirmDelete')}</span>
      <button ref={cancel} type="button" onClick={onCancel}>
        {say('cancel')}
      </button>
      <button type="button" class="danger" onClick={onDelete}>
        {say('deleteMessage')}
      </button>
    </fieldset>
  );
}

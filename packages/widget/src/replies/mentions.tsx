import type { User } from '@banter/core';
import type { RefObject } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';
import { useWidget } from '../context';
import { repliesSayer } from './say';

export type Person = Pick<User, 'id'> & { name: string };

export interface MentionsProps {
  conversationId: string;
  /** The composer's textarea: it keeps focus, and gets aria-activedescendant while the list is open. */
  box: RefObject<HTMLTextAreaElement>;
  text: string;
  /** Set by this component: the composer's keydown asks it first (true: the key was the list's). */
  keys: { current?: (e: KeyboardEvent) => boolean };
  /** A participant was picked: the new text, where the caret goes, and who. */
  onPick(text: string, caret: number, user: Person): void;
}

/** The ids of the picked people whose `@Name` is still in `text` (structured: never parsed from it). */
export const mentioned = (text: string, picks: Person[]) => {
  const ids = [...new Set(picks.filter((p) => text.includes(`@${p.name}`)).map((p) => p.id))];
  return ids.length ? ids : undefined;
};

/**
 * Mention autocomplete: `@` and letters before the caret offer the conversation's other
 * participants (a listbox; arrows move, Enter or Tab picks, Escape closes), as an ARIA 1.2
 * autocomplete on the composer's textarea, which keeps the focus.
 */
export function Mentions({ conversationId, box, text, keys, onPick }: MentionsProps) {
  const { client, tr } = useWidget();
  const { say } = repliesSayer({ tr });
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  // While rendering a text the box does not show yet (a pick), its caret is stale: take the end.
  const el = box.current;
  const caret = el && el.value === text ? el.selectionEnd : text.length;
  const match = /(^|\s)@([^\s@]{0,30})$/.exec(text.slice(0, caret));
  const start = match ? match.index + match[1]!.length : -1;
  const query = match ? match[2]!.toLowerCase() : undefined;
  const me = client.store.getSnapshot().me?.id;
  const people: Person[] = (client.store.getSnapshot().conversations[conversationId]?.conversation.participants ?? [])
    .filter((p) => p.user.id !== me)
    .map((p) => ({ id: p.user.id, name: p.user.name?.trim() || p.user.id }))
    .filter(
      (p) =>
        query !== undefined &&
        p.name
          .toLowerCase()
          .split(/\s+/)
          .concat(p.name.toLowerCase())
          .some((w) => w.startsWith(query)),
    )
    .slice(0, 6);
  const key = `${start}:${query}`;
  const open = people.length > 0 && dismissed !== key;
  const at = Math.min(active, people.length - 1);
  const listId = `bt-mentions-${conversationId}`;
  const optionId = (i: number) => `${listId}-${i}`;

  const pick = (p: Person) => {
    const before = `${text.slice(0, start)}@${p.name} `;
    setActive(0);
    onPick(before + text.slice(caret), before.length, p);
  };
  keys.current = (e) => {
    if (!open) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') setActive((at + (e.key === 'ArrowDown' ? 1 : people.length - 1)) % people.length);
    else if (e.key === 'Enter' || e.key === 'Tab') pick(people[at]!);
    else if (e.key === 'Escape') setDismissed(key);
    else return false;
    return true;
  };

  // The textarea says what is offered, while it is (and nothing once closed).
  useLayoutEffect(() => {
    if (!el) return;
    const set = (name: string, value: string | null) => (value === null ? el.removeAttribute(name) : el.setAttribute(name, value));
    set('aria-autocomplete', 'list');
    set('aria-controls', open ? listId : null);
    set('aria-activedescendant', open ? optionId(at) : null);
    return () => {
      for (const name of ['aria-autocomplete', 'aria-controls', 'aria-activedescendant']) el.removeAttribute(name);
    };
  });

  return open ? (
    <div class="mentions" role="listbox" id={listId} aria-label={say('mentionSuggestions')}>
      {people.map((p, i) => (
        <div
          key={p.id}
          id={optionId(i)}
          role="option"
          // The textarea keeps the focus (aria-activedescendant points here).
          tabIndex={-1}
          aria-selected={i === at}
          // mousedown, not click: the textarea keeps the focus.
          onMouseDown={(e) => {
            e.preventDefault();
            pick(p);
          }}
        >
          {p.name}
        </div>
      ))}
    </div>
  ) : null;
}

import type { LocalMessage } from '@banter/core';
import type { Say } from './say';

type Reaction = NonNullable<LocalMessage['reactions']>[number];

/**
 * Who reacted, as the summary tells it: by name when it names them all (the first ten are), else
 * a count and whether the reader is one of them.
 */
export function reactionLabel(r: Reaction, say: Say, name?: (userId: string) => string): string {
  const vars = { emoji: r.emoji };
  if (name && r.userIds?.length === r.count) return say('reactedBy', { ...vars, names: r.userIds.map(name).join(', ') });
  if (!r.reactedByMe) return say.plural('reactedOthers', r.count, vars);
  return r.count > 1 ? say.plural('reactedYouAnd', r.count - 1, vars) : say('reactedYou', vars);
}

export interface ReactionChipsProps {
  reactions: Reaction[];
  say: Say;
  onToggle(emoji: string): void;
  /** A participant's name ("You" for the reader), for saying who reacted. */
  name?: (userId: string) => string;
  /** Tab reaches the chips of the message that has focus only (not every chip of the list). */
  tabbable: boolean;
}

/** A chip per emoji: the emoji and its count, pressed when the reader reacted; a click toggles. */
export function ReactionChips({ reactions, say, onToggle, name, tabbable }: ReactionChipsProps) {
  return (
    <fieldset class="reacts" aria-label={say('reactions')}>
      {reactions.map((r) => {
        const label = reactionLabel(r, say, name);
        return (
          <button
            key={r.emoji}
            type="button"
            class="react"
            aria-pressed={r.reactedByMe}
            // The name starts with what the chip shows (axe's label-content-name-mismatch), then who.
            aria-label={`${r.emoji} ${r.count}, ${label}`}
            title={label}
            tabIndex={tabbable ? 0 : -1}
            onClick={() => onToggle(r.emoji)}
          >
            {r.emoji} <span>{r.count}</span>
          </button>
        );
      })}
    </fieldset>
  );
}

import type { LocalMessage } from '@banter/core';
import type { Say } from './say';

type Reaction = NonNullable<LocalMessage['reactions']>[number];

/** Who reacted, as the summary tells it (a count, and whether the reader is one of them). */
export function reactionLabel(r: Reaction, say: Say): string {
  const vars = { emoji: r.emoji };
  if (!r.reactedByMe) return say.plural('reactedOthers', r.count, vars);
  return r.count > 1 ? say.plural('reactedYouAnd', r.count - 1, vars) : say('reactedYou', vars);
}

export interface ReactionChipsProps {
  reactions: Reaction[];
  say: Say;
  onToggle(emoji: string): void;
  /** Tab reaches the chips of the message that has focus only (not every chip of the list). */
  tabbable: boolean;
}

/** A chip per emoji: the emoji and its count, pressed when the reader reacted; a click toggles. */
export function ReactionChips({ reactions, say, onToggle, tabbable }: ReactionChipsProps) {
  return (
    <fieldset class="reacts" aria-label={say('reactions')}>
      {reactions.map((r) => {
        const label = reactionLabel(r, say);
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

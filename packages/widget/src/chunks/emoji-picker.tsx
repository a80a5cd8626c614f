// Lazy chunk: a small emoji picker (a fixed set with English keywords and a search; no emoji
// library in the bundle). Loaded on first use (lazy/chunks.ts).
import { useEffect, useRef, useState } from 'preact/hooks';
import { useWidget } from '../context';
import { useChunkCss } from '../lazy/chunk-css';

/** The picker's emoji: each with its name (the button's label) and the words that find it. */
export const EMOJI: ReadonlyArray<readonly [emoji: string, name: string, keywords: string]> = [
  ['👍', 'thumbs up', 'thumbs up yes like ok'],
  ['❤️', 'red heart', 'heart love red'],
  ['😂', 'tears of joy', 'joy laugh tears funny lol'],
  ['😮', 'surprised', 'wow surprised open mouth'],
  ['😢', 'crying', 'cry sad tear'],
  ['🙏', 'folded hands', 'pray thanks please folded hands'],
  ['🎉', 'party popper', 'party tada celebrate congrats'],
  ['🔥', 'fire', 'fire hot lit'],
  ['👀', 'eyes', 'eyes look see'],
  ['✅', 'check mark', 'check done yes tick'],
  ['👎', 'thumbs down', 'thumbs down no dislike'],
  ['😀', 'grinning', 'grin smile happy'],
  ['😊', 'smiling', 'blush smile happy'],
  ['😉', 'wink', 'wink'],
  ['😍', 'heart eyes', 'heart eyes love'],
  ['🤔', 'thinking', 'thinking hmm'],
  ['😅', 'sweat smile', 'sweat smile relief'],
  ['🙂', 'slight smile', 'slight smile'],
  ['🙃', 'upside-down', 'upside down silly'],
  ['😎', 'sunglasses', 'cool sunglasses'],
  ['😴', 'sleeping', 'sleep tired zzz'],
  ['😬', 'grimacing', 'grimace awkward'],
  ['🤯', 'mind blown', 'mind blown exploding head'],
  ['🥳', 'party face', 'party face celebrate'],
  ['😡', 'angry', 'angry mad rage'],
  ['🤝', 'handshake', 'handshake deal agree'],
  ['👏', 'clapping', 'clap applause bravo'],
  ['🙌', 'raised hands', 'raised hands hooray'],
  ['💪', 'muscle', 'muscle strong flex'],
  ['👋', 'waving hand', 'wave hello hi bye'],
  ['🤞', 'fingers crossed', 'fingers crossed luck'],
  ['👌', 'ok', 'ok perfect'],
  ['💯', 'hundred', 'hundred perfect score'],
  ['⭐', 'star', 'star favourite'],
  ['✨', 'sparkles', 'sparkles shiny new'],
  ['🚀', 'rocket', 'rocket launch ship fast'],
  ['💡', 'light bulb', 'idea bulb light'],
  ['⚠️', 'warning', 'warning caution'],
  ['❌', 'cross mark', 'cross no wrong'],
  ['❓', 'question mark', 'question what'],
  ['☕', 'coffee', 'coffee tea break'],
  ['🍕', 'pizza', 'pizza food lunch'],
  ['🎂', 'cake', 'cake birthday'],
  ['🌞', 'sun', 'sun sunny morning'],
  ['🌙', 'moon', 'moon night'],
  ['💬', 'speech balloon', 'speech chat comment'],
  ['📌', 'pushpin', 'pin pushpin'],
  ['🐛', 'bug', 'bug insect'],
];

const css = `.emoji{position:absolute;z-index:5;bottom:100%;right:8px;width:min(296px,calc(100% - 16px));background:var(--bg);border:1px solid var(--bd);border-radius:calc(var(--r) - 4px);box-shadow:0 4px 16px #0003;padding:8px}
.emoji input{width:100%;font:inherit;color:inherit;background:var(--bg);border:1px solid var(--bd);border-radius:6px;padding:5px 8px;margin-bottom:6px}
.emoji-grid{display:grid;grid-template-columns:repeat(8,1fr);gap:2px;max-height:150px;overflow-y:auto}
.emoji-grid button{font-size:20px;line-height:32px;border-radius:6px}
.emoji-grid button:hover,.emoji-grid button:focus-visible{background:var(--bb)}
.emoji-none{color:var(--mu);font-size:12px;padding:4px}`;

export interface EmojiPickerProps {
  /** The chosen emoji; the picker stays open (the caller closes it). */
  onPick(emoji: string): void;
  /** Escape or a click outside. */
  onClose(): void;
  /** The dialog's accessible name ("Add reaction", "Insert emoji"). */
  label: string;
}

const COLUMNS = 8;

/** A dialog with a search box and a grid of emoji buttons; arrows move, Enter picks, Escape closes. */
export function EmojiPicker({ onPick, onClose, label }: EmojiPickerProps) {
  const { tr } = useWidget();
  const ref = useChunkCss<HTMLDivElement>(css);
  const search = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const words = query.trim().toLowerCase();
  const shown = words
    ? EMOJI.filter(([emoji, name, keywords]) => emoji === words || `${name} ${keywords}`.split(/[ -]/).some((n) => n.startsWith(words)))
    : EMOJI;
  useEffect(() => {
    search.current?.focus();
    const outside = (event: Event) => {
      if (ref.current && !event.composedPath().includes(ref.current)) onClose();
    };
    // Not the click that opened it: listen from the next task on.
    const timer = setTimeout(() => document.addEventListener('pointerdown', outside));
    return () => {
      clearTimeout(timer);
      document.removeEventListener('pointerdown', outside);
    };
  }, []);

  const move = (event: KeyboardEvent) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('.emoji-grid button') ?? [])];
    const at = buttons.indexOf(event.target as HTMLButtonElement);
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS }[event.key];
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    } else if (step && (at >= 0 || (event.key === 'ArrowDown' && buttons.length))) {
      event.preventDefault();
      buttons[Math.min(buttons.length - 1, Math.max(0, at < 0 ? 0 : at + step))]?.focus();
    }
  };

  return (
    <div ref={ref} class="emoji" role="dialog" aria-label={label} onKeyDown={move}>
      <input
        ref={search}
        type="search"
        aria-label={tr.t('searchEmoji')}
        placeholder={tr.t('searchEmoji')}
        value={query}
        onInput={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && shown[0]) {
            e.preventDefault();
            onPick(shown[0][0]);
          }
        }}
      />
      <div class="emoji-grid">
        {shown.map(([emoji, name]) => (
          <button key={emoji} type="button" aria-label={name} title={name} onClick={() => onPick(emoji)}>
            {emoji}
          </button>
        ))}
      </div>
      {shown.length === 0 && <p class="emoji-none">{tr.t('noEmoji')}</p>}
    </div>
  );
}

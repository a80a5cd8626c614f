import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';

export interface MenuProps {
  /** The accessible name ("Message actions"). */
  label: string;
  /** Each item: its text and what it does (the menu closes first). */
  items: ReadonlyArray<readonly [label: string, run: () => void]>;
  /** Escape, Tab or a pointer outside `within`: `refocus` says whether focus goes back to the message. */
  onClose(refocus: boolean): void;
  /** What counts as inside (the message): a press there does not close the menu. */
  within: () => Element | null;
}

/** A menu (WAI-ARIA menu pattern): the first item has focus; arrows, Home and End move; Escape or Tab closes. */
export function Menu({ label, items, onClose, within }: MenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  // Before the next key: a quick ArrowDown right after Enter must reach the menu, not the message.
  useLayoutEffect(() => {
    const el = ref.current!;
    el.querySelector<HTMLElement>('[role=menuitem]')?.focus();
    el.scrollIntoView?.({ block: 'nearest' });
  }, []);
  useEffect(() => {
    const outside = (event: Event) => {
      const box = within();
      if (box && !event.composedPath().includes(box)) onClose(false);
    };
    // Not the press that opened it: listen from the next task on.
    const timer = setTimeout(() => document.addEventListener('pointerdown', outside));
    return () => {
      clearTimeout(timer);
      document.removeEventListener('pointerdown', outside);
    };
  }, []);

  const keys = (e: KeyboardEvent) => {
    const all = [...ref.current!.querySelectorAll<HTMLElement>('[role=menuitem]')];
    const at = all.indexOf(e.target as HTMLElement);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: all.length - 1 }[e.key];
    if (to !== undefined) all[(to + all.length) % all.length]?.focus();
    else if (e.key === 'Escape' || e.key === 'Tab') onClose(true);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div ref={ref} class="menu" role="menu" aria-label={label} onKeyDown={keys}>
      {items.map(([text, run]) => (
        <button key={text} type="button" role="menuitem" tabIndex={-1} onClick={run}>
          {text}
        </button>
      ))}
    </div>
  );
}

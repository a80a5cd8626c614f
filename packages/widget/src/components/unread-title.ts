import { useEffect, useRef } from 'preact/hooks';

// Our own prefix, so it is replaced rather than stacked when the count changes.
const PREFIX = /^\(\d+\+?\) /;

/**
 * Shows `count` in the tab's title, "(3) My app", as mail and chat apps do; 0 leaves the title alone
 * (and removes the prefix this hook put there, also on unmount).
 *
 * @example
 * useUnreadTitle(selectUnreadTotal(state), document);
 */
export function useUnreadTitle(count: number, doc: Document): void {
  const set = useRef(false);
  useEffect(() => {
    if (!count && !set.current) return;
    const base = doc.title.replace(PREFIX, '');
    doc.title = count ? `(${count > 99 ? '99+' : count}) ${base}` : base;
    set.current = count > 0;
  }, [count]);
  useEffect(
    () => () => {
      if (set.current) doc.title = doc.title.replace(PREFIX, '');
    },
    [],
  );
}

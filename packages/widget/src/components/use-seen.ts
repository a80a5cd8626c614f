import type { ChatClient } from '@banter/core';
import type { RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * Reports each message of others that is at least half on screen (an IntersectionObserver on the
 * scroll container) with `client.markSeen`, so a read receipt covers only what the reader saw; the
 * client adds "the page is visible and the window focused". Elements carry their seq in `data-seq`.
 *
 * @example
 * const observe = useSeen(client, conversationId, scrollRef);
 * <div ref={observe} data-seq={m.seq}>...</div>
 */
export function useSeen(client: ChatClient, conversationId: string, root: RefObject<HTMLElement>) {
  const observer = useRef<IntersectionObserver | null>(null);
  useEffect(() => {
    if (typeof IntersectionObserver === 'undefined') return;
    observer.current = new IntersectionObserver(
      (entries) => {
        let max = 0;
        for (const e of entries) if (e.isIntersecting) max = Math.max(max, Number((e.target as HTMLElement).dataset.seq) || 0);
        if (max) client.markSeen(conversationId, max);
      },
      { root: root.current, threshold: 0.5 },
    );
    for (const el of pending.current) observer.current.observe(el);
    pending.current.clear();
    return () => {
      observer.current?.disconnect();
      observer.current = null;
    };
  }, [conversationId]);
  const pending = useRef(new Set<Element>());
  // A ref callback per message element: observed once it exists, forgotten when it goes.
  return (el: Element | null) => {
    if (!el) return;
    if (observer.current) observer.current.observe(el);
    else pending.current.add(el);
  };
}

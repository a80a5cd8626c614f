import type { ChatState, ChatStore } from '@banter/core';
import { useCallback, useRef, useSyncExternalStore } from 'react';
import { useChatClient } from './context';

/** What the hooks see without a client (server rendering, before the provider's client exists). */
const EMPTY_STATE: ChatState = Object.freeze({
  me: null,
  connection: 'connecting',
  conversations: Object.freeze({}) as ChatState['conversations'],
  conversationOrder: Object.freeze([]) as unknown as string[],
  listHasMore: false,
  activeConversationId: null,
});
const EMPTY_STORE: ChatStore = { subscribe: () => () => {}, getSnapshot: () => EMPTY_STATE };

/** `Object.is` on each own property (arrays: on each item): a derived object that did not change. */
export function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * A slice of the chat state: the component re-renders only when `select`'s result changed
 * (by `isEqual`, default `Object.is`). `select` may build a new object or array each time when
 * `isEqual` is `shallowEqual`; the previous one is kept while they are equal.
 *
 * @example
 * const me = useChatSelector((state) => state.me);
 * const title = useChatSelector((state) => state.conversations[id]?.conversation.title ?? null);
 * const ids = useChatSelector((state) => state.conversationOrder.slice(0, 5), shallowEqual);
 */
export function useChatSelector<T>(select: (state: ChatState) => T, isEqual: (a: T, b: T) => boolean = Object.is): T {
  const store = useChatClient()?.store ?? EMPTY_STORE;
  // The last state seen and what select made of it, so a getSnapshot call without a change
  // returns the same value (useSyncExternalStore requires it) and equal slices keep their reference.
  const cache = useRef<{ state: ChatState; select: unknown; value: T } | null>(null);
  const latest = useRef({ select, isEqual });
  latest.current = { select, isEqual };
  const getSnapshot = useCallback((): T => {
    const state = store.getSnapshot();
    const { select: current, isEqual: equal } = latest.current;
    const cached = cache.current;
    if (cached && cached.state === state && cached.select === current) return cached.value;
    const value = current(state);
    const kept = cached && equal(cached.value, value) ? cached.value : value;
    cache.current = { state, select: current, value: kept };
    return kept;
  }, [store]);
  return useSyncExternalStore(store.subscribe, getSnapshot, getSnapshot);
}

/**
 * The host's signals the client reacts to: is the page shown and focused, is the device online,
 * and the timers. Injectable (TanStack Query's focusManager/onlineManager idea): tests and
 * non-browser hosts (React Native, Electron, workers) pass their own instead of stubbing globals.
 */
export interface Platform {
  /** The page is shown (default: `document.visibilityState !== 'hidden'`; true without a document). */
  visible(): boolean;
  /** The window has the focus (default: `document.hasFocus()`; true without a document). */
  focused(): boolean;
  /** The device believes it is online (default: `navigator.onLine`; true when unknown). */
  online(): boolean;
  /** Calls `listener` when `visible()` or `focused()` may have changed; returns the unsubscribe. */
  onFocusChange(listener: () => void): () => void;
  /** Calls `listener` when `online()` may have changed; returns the unsubscribe. */
  onOnlineChange(listener: () => void): () => void;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

type Target = { addEventListener(name: string, fn: () => void): void; removeEventListener(name: string, fn: () => void): void };

// Every global is read when a client asks, never at import: importing @banter/core during server
// rendering must not touch window or document. (A plain function, not a call at module level, so a
// bundler drops it from apps that import only the selectors.)
function listen(pairs: [() => Target | undefined, string][], listener: () => void): () => void {
  const bound = pairs.map(([target, name]) => [target(), name] as const);
  for (const [t, name] of bound) t?.addEventListener?.(name, listener);
  return () => {
    for (const [t, name] of bound) t?.removeEventListener?.(name, listener);
  };
}
const doc = () => globalThis.document as Document | undefined;
const win = () => globalThis.window as (Window & Target) | undefined;

/**
 * The browser's signals (document visibility and focus, `online`/`offline` events, the global
 * timers), read lazily; in Node and workers they say "visible, focused, online".
 *
 * @example
 * const client = createChatClient({ url, token, platform: { ...browserPlatform, visible: () => appIsForeground } });
 */
export const browserPlatform: Platform = {
  visible: () => doc()?.visibilityState !== 'hidden',
  focused: () => doc()?.hasFocus?.() ?? true,
  online: () => (globalThis.navigator as Navigator | undefined)?.onLine !== false,
  onFocusChange: (listener) =>
    listen(
      [
        [doc, 'visibilitychange'],
        [win, 'focus'],
        [win, 'blur'],
      ],
      listener,
    ),
  onOnlineChange: (listener) =>
    listen(
      [
        [win, 'online'],
        [win, 'offline'],
      ],
      listener,
    ),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

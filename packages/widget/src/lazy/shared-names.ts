/**
 * What lazy chunks may import from the main script-tag bundle, by module: the exact names
 * widget.js hands over in `Banter._lazy.modules` (load-chunk.ts) and the only ones a chunk build
 * resolves (lazy-chunks.ts; any other name fails that build). Listing names, not whole modules,
 * keeps the unused rest of preact out of widget.js. Add a name here when a chunk needs it.
 */
export const SHARED = {
  preact: ['Fragment', 'createContext'],
  'preact/hooks': ['useState', 'useEffect', 'useLayoutEffect', 'useRef', 'useMemo', 'useCallback', 'useContext'],
  'preact/jsx-runtime': ['jsx', 'jsxs', 'Fragment'],
  context: ['useWidget', 'WidgetContext'],
  // Handed over by the first of core's chunks to load (../../lazy-file-upload.ts): core's upload code,
  // lifecycle, moderation, groups; the notifications chunk's core calls.
  core: ['BanterError', 'isTransient', 'httpError', 'callOf', 'createHttp', 'updateConversation', 'dropConversation'],
} as const;

type Modules = { [K in keyof typeof SHARED]: Record<(typeof SHARED)[K][number], unknown> };
/** `core` is there once a chunk that needs it was loaded. */
export type SharedModules = Omit<Modules, 'core'> & Partial<Pick<Modules, 'core'>>;

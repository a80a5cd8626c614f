import { useEffect, useState } from 'preact/hooks';

const loaded = new Map<() => Promise<unknown>, unknown>();

export interface ChunkState<T> {
  module?: T;
  error?: unknown;
}

/**
 * A lazy chunk's exports once `wanted` (first true): nothing loads before. On a failed load the
 * error, and the next `wanted` tries again.
 *
 * @example
 * const { module } = useChunk(loadEmojiPicker, open);
 * return module ? <module.EmojiPicker onPick={insert} onClose={close} /> : null;
 */
export function useChunk<T>(load: () => Promise<T>, wanted: boolean): ChunkState<T> {
  // A chunk loaded once is there from the first render on (a list of messages with files does not
  // render each one without them first).
  const [state, setState] = useState<ChunkState<T>>(() => ({ module: loaded.get(load) as T | undefined }));
  useEffect(() => {
    if (!wanted || state.module) return;
    let live = true;
    load().then(
      (module) => {
        loaded.set(load, module);
        if (live) setState({ module });
      },
      (error: unknown) => live && setState({ error }),
    );
    return () => {
      live = false;
    };
  }, [wanted]);
  return state;
}

import { useEffect, useState } from 'preact/hooks';

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
  const [state, setState] = useState<ChunkState<T>>({});
  useEffect(() => {
    if (!wanted || state.module) return;
    let live = true;
    load().then(
      (module) => live && setState({ module }),
      (error: unknown) => live && setState({ error }),
    );
    return () => {
      live = false;
    };
  }, [wanted]);
  return state;
}

import { Transform } from 'node:stream';
import { FileTooLargeError } from './storage';

/**
 * A pass-through that counts bytes and fails with FileTooLargeError once more than `maxBytes`
 * went by, so an oversized upload stops at the limit instead of filling the disk first.
 *
 * @example
 * ```ts
 * const counter = countBytes(1024);
 * await pipeline(source, counter, destination);
 * counter.bytes; // how many went through
 * ```
 */
export function countBytes(maxBytes: number): Transform & { bytes: number } {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counter.bytes += chunk.byteLength;
      if (counter.bytes > maxBytes) callback(new FileTooLargeError(maxBytes));
      else callback(null, chunk);
    },
  }) as Transform & { bytes: number };
  counter.bytes = 0;
  return counter;
}

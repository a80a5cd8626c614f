import { ApiError } from '../http/errors';
import { FileTooLargeError } from './storage';

/**
 * Run a storage call and turn its failures into API errors: a file over the limit is a 413, an
 * unreachable store (S3 down, disk full) a 503 `unavailable` with the cause kept for the log.
 *
 * @example
 * ```ts
 * const info = await withStorage(() => storage.stat(key));
 * ```
 */
export async function withStorage<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof FileTooLargeError) {
      throw new ApiError('payload_too_large', `invalid upload; ${error.message}`, { details: { limit: error.limit } });
    }
    throw new ApiError('unavailable', 'the file storage is unavailable; try again shortly', { cause: error });
  }
}

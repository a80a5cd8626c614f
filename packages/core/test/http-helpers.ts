import { expect } from 'vitest';
import { BanterError } from '../src/errors';
import { createHttp, type HttpOptions } from '../src/http';

export const API = 'https://api.test/api';

/** The HTTP layer on API with a token and no retry delay, as the http tests use it. */
export const make = (options: Partial<HttpOptions> = {}) => createHttp({ url: API, token: 't1', retry: { delay: () => 0 }, ...options });

export const errorBody = (code: string, message: string, details?: unknown) => ({ error: { code, message, details } });

/** The BanterError a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<BanterError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BanterError);
    return error as BanterError;
  }
  throw new Error('expected a rejection');
}

import { expect, it } from 'vitest';
import { BanterError, isTransient } from './errors';
import { loadPusher } from './load-pusher';

it('a missing pusher-js is an internal error that says what to install, never a retried network failure', async () => {
  const missing = Object.assign(new Error("Cannot find package 'pusher-js' imported from /app/node_modules/@banter/core/dist/index.js"), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
  const error = await loadPusher(() => Promise.reject(missing)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BanterError);
  expect(error).toMatchObject({
    code: 'internal',
    message: 'realtime needs pusher-js, which is not installed: npm install pusher-js, or pass realtime.Pusher (or realtime: false)',
  });
  expect(isTransient(error)).toBe(false);
});

it('passes other failures on unchanged', async () => {
  const other = new Error('Unexpected token in chunk');
  await expect(loadPusher(() => Promise.reject(other))).rejects.toBe(other);
});

it('loads the real pusher-js constructor', async () => {
  const Pusher = await loadPusher();
  expect(typeof Pusher).toBe('function');
  expect(typeof Pusher.prototype.subscribe).toBe('function');
});

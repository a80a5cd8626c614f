import { expect, it } from 'vitest';
import { importOptionalPeer } from './optional-peer';

const peer = { name: 'banter-no-such-package', neededFor: 'the test feature', alternative: 'or turn it off' };

it('names the missing package, what needs it and the way out', async () => {
  // A specifier the bundler cannot see through keeps this a real Node resolution failure.
  const name = peer.name;
  await expect(importOptionalPeer(() => import(/* @vite-ignore */ name), peer)).rejects.toThrow(
    'the test feature needs banter-no-such-package, which is not installed: npm install banter-no-such-package, or turn it off',
  );
});

it('passes other failures on unchanged (a broken install stays visible)', async () => {
  const broken = new Error('pglite.wasm is corrupt');
  await expect(importOptionalPeer(() => Promise.reject(broken), peer)).rejects.toBe(broken);
  const other = Object.assign(new Error("Cannot find package 'some-dependency-of-it'"), { code: 'ERR_MODULE_NOT_FOUND' });
  await expect(importOptionalPeer(() => Promise.reject(other), peer)).rejects.toBe(other);
});

it('returns the module when it is there', async () => {
  const path = await importOptionalPeer(() => import('node:path'), { name: 'node:path', neededFor: 'joining paths' });
  expect(path.join('a', 'b')).toBe('a/b');
});

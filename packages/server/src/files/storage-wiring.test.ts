import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatServer } from '../chat-server';
import { CliError } from '../cli/cli-error';
import { resolveServeConfig } from '../cli/config';
import { createLocalStorage } from './local-storage';

const SECRET = 'a-secret-from-the-environment-of-40-chars';
let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'banter-storage-wiring-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('storage wiring', () => {
  it("createChatServer uses the storage it is given, else the environment's", async () => {
    const storage = createLocalStorage({ directory: join(cwd, 'mine') });
    const given = createChatServer({ secret: SECRET, database: {}, migrate: false, storage });
    const fallback = createChatServer({ secret: SECRET, database: {}, migrate: false });
    try {
      expect(given.storage).toBe(storage);
      expect(fallback.storage.kind).toBe('local');
    } finally {
      await given.close();
      await fallback.close();
    }
    // Two in-memory PGlite databases start and stop here: seconds each on a loaded machine.
  }, 30_000);

  it('banter serve reads BANTER_STORAGE and S3_*, and a wrong one is a one-line usage error', async () => {
    const config = await resolveServeConfig({}, { BANTER_SECRET: SECRET }, cwd);
    expect(config.storage?.kind).toBe('local');
    const s3 = await resolveServeConfig({}, { BANTER_SECRET: SECRET, BANTER_STORAGE: 's3', S3_BUCKET: 'files' }, cwd);
    expect(s3.storage?.kind).toBe('s3');
    const error = await resolveServeConfig({}, { BANTER_SECRET: SECRET, BANTER_STORAGE: 's3' }, cwd).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe('BANTER_STORAGE=s3 needs S3_BUCKET');
  });
});

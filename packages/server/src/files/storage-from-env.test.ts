import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storageFromEnv } from './storage-from-env';
import { startTestS3, streamOf } from '../../test/kit/storages';

describe('storageFromEnv', () => {
  it('defaults to the local disk under <dataDir>/files', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'banter-env-'));
    try {
      const storage = storageFromEnv({}, { dataDir });
      expect(storage.kind).toBe('local');
      await storage.write('c/u/original', streamOf(new TextEncoder().encode('hi')), { maxBytes: 2 });
      expect(await readFile(join(dataDir, 'files', 'c', 'u', 'original'), 'utf8')).toBe('hi');
      expect(storageFromEnv({ BANTER_STORAGE: ' LOCAL ' }, { dataDir }).kind).toBe('local');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('uses an S3-compatible store from the S3_* variables', async () => {
    const s3 = await startTestS3('from-env');
    try {
      const storage = storageFromEnv(
        {
          BANTER_STORAGE: 's3',
          S3_BUCKET: 'from-env',
          S3_ENDPOINT: s3.options.endpoint,
          S3_REGION: 'eu-west-1',
          S3_ACCESS_KEY_ID: 'S3RVER',
          S3_SECRET_ACCESS_KEY: 'S3RVER',
          S3_PREFIX: 'chat/',
        },
        { dataDir: '/nonexistent' },
      );
      expect(storage.kind).toBe('s3');
      await storage.write('c/u/original', streamOf(new TextEncoder().encode('hi')), { maxBytes: 2 });
      expect(await storage.stat('c/u/original')).toEqual({ size: 2 });
      // Path style by default with an endpoint, and the prefix in front of every key.
      const url = new URL((await storage.uploadUrl('c/u/original', { type: 'text/plain', size: 2 }, 60))!.url);
      expect(url.pathname).toBe('/from-env/chat/c/u/original');
    } finally {
      await s3.close();
    }
  });

  it('names the variable that is missing or wrong', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ BANTER_STORAGE: 'ftp' }, 'BANTER_STORAGE must be local or s3 (got "ftp")'],
      [{ BANTER_STORAGE: 's3' }, 'BANTER_STORAGE=s3 needs S3_BUCKET'],
      [{ BANTER_STORAGE: 's3', S3_BUCKET: 'b', S3_ENDPOINT: 'minio:9000' }, 'S3_ENDPOINT must be an http(s) URL (got "minio:9000")'],
      [
        { BANTER_STORAGE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k' },
        'give both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (the AWS default chain)',
      ],
      [{ BANTER_STORAGE: 's3', S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'yes' }, 'S3_FORCE_PATH_STYLE must be true or false (got "yes")'],
    ];
    for (const [env, message] of cases) expect(() => storageFromEnv(env, { dataDir: '.banter' })).toThrow(message);
  });
});

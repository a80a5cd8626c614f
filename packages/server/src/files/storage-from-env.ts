import { join } from 'node:path';
import { createLocalStorage } from './local-storage';
import { createS3Storage } from './s3-storage';
import type { FileStorage } from './storage';

/**
 * Thrown for a storage variable that is missing or wrong; the message names it (the CLI prints it
 * as a one-line error, exit code 2).
 */
export class StorageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageConfigError';
  }
}

/**
 * The file storage the environment asks for: `BANTER_STORAGE=local` (the default: files under
 * `<dataDir>/files/`) or `BANTER_STORAGE=s3` with `S3_BUCKET`, and optionally `S3_ENDPOINT`,
 * `S3_REGION`, `S3_ACCESS_KEY_ID` + `S3_SECRET_ACCESS_KEY`, `S3_FORCE_PATH_STYLE`, `S3_PREFIX`.
 *
 * @example
 * ```ts
 * const storage = storageFromEnv(process.env, { dataDir: '.banter' });
 * createChatServer({ secret, storage });
 * ```
 */
export function storageFromEnv(env: Record<string, string | undefined>, options: { dataDir: string }): FileStorage {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const kind = (value('BANTER_STORAGE') ?? 'local').toLowerCase();
  if (kind === 'local') return createLocalStorage({ directory: join(options.dataDir, 'files') });
  if (kind !== 's3') throw new StorageConfigError(`BANTER_STORAGE must be local or s3 (got ${JSON.stringify(env.BANTER_STORAGE)})`);

  const bucket = value('S3_BUCKET');
  if (!bucket) throw new StorageConfigError('BANTER_STORAGE=s3 needs S3_BUCKET');
  const endpoint = value('S3_ENDPOINT');
  if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint)) {
    throw new StorageConfigError(`S3_ENDPOINT must be an http(s) URL (got ${JSON.stringify(endpoint)})`);
  }
  const accessKeyId = value('S3_ACCESS_KEY_ID');
  const secretAccessKey = value('S3_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new StorageConfigError('give both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (the AWS default chain)');
  }
  const pathStyle = value('S3_FORCE_PATH_STYLE')?.toLowerCase();
  if (pathStyle !== undefined && !['true', 'false', '1', '0'].includes(pathStyle)) {
    throw new StorageConfigError(`S3_FORCE_PATH_STYLE must be true or false (got ${JSON.stringify(env.S3_FORCE_PATH_STYLE)})`);
  }
  return createS3Storage({
    bucket,
    endpoint,
    region: value('S3_REGION') ?? value('AWS_REGION') ?? 'us-east-1',
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    // Self-hosted stores (MinIO, s3rver, …) need path style; AWS itself prefers virtual hosts.
    forcePathStyle: pathStyle === undefined ? endpoint !== undefined : pathStyle === 'true' || pathStyle === '1',
    prefix: value('S3_PREFIX'),
  });
}

import { ApiError } from '../http/errors';
import { describeImage, type DescribeImageOptions } from './images';
import { refusal } from './receive-upload';
import { checkType, SAFE_IMAGE_TYPES, SNIFF_BYTES, sniffType } from './sniff';
import type { FileStorage } from './storage';
import { withStorage } from './storage-errors';

export interface FinishedFile {
  size: number;
  /** The sniffed type the file is stored and served as. */
  type: string;
  image: {
    width: number;
    height: number;
    color: string;
    thumbnail: { key: string; width: number; height: number };
  } | null;
}

export interface FinishUploadOptions {
  storage: FileStorage;
  key: string;
  /** Where the thumbnail of an image goes. */
  thumbnailKey: string;
  declared: { size: number; type: string };
  allowedTypes: readonly string[];
  images?: DescribeImageOptions;
}

/**
 * Check a file that is in storage against what its upload announced, and describe it: the size must
 * match, the type is sniffed from its first bytes (on S3 the client PUT them straight to the bucket,
 * so this is where a disguised file is caught, and removed), and a safe raster image gets its size,
 * a thumbnail and a placeholder colour.
 *
 * @example
 * ```ts
 * const file = await finishUpload({ storage, key, thumbnailKey, declared: { size, type }, allowedTypes });
 * file.image?.thumbnail.key;
 * ```
 */
export async function finishUpload(options: FinishUploadOptions): Promise<FinishedFile> {
  const { storage, key, declared } = options;
  const stat = await withStorage(() => storage.stat(key));
  if (!stat) throw new ApiError('unprocessable', 'invalid attachment; its file was never uploaded (PUT it to the upload url first)');
  const discard = async (error: ApiError) => {
    await withStorage(() => storage.delete([key]));
    return error;
  };
  if (stat.size !== declared.size) {
    throw await discard(
      new ApiError('unprocessable', `invalid attachment; the file is ${stat.size} bytes but ${declared.size} were announced`, {
        details: { size: declared.size, received: stat.size },
      }),
    );
  }
  const head = (await withStorage(() => storage.readHead(key, SNIFF_BYTES))) ?? new Uint8Array(0);
  const detected = await sniffType(head);
  const result = checkType(detected, declared.type, options.allowedTypes);
  if (!result.ok) throw await discard(refusal(result.reason, result.message, detected));
  if (!SAFE_IMAGE_TYPES.includes(result.type)) return { size: stat.size, type: result.type, image: null };

  const file = await withStorage(() => storage.read(key));
  if (!file) throw new ApiError('unprocessable', 'invalid attachment; its file was removed');
  const bytes = new Uint8Array(await new Response(file.body).arrayBuffer());
  const info = await describeImage(bytes, options.images);
  // An image sharp cannot decode (corrupt, or over the pixel limit) is still a file, without preview.
  if (!info) return { size: stat.size, type: result.type, image: null };
  const thumbnail = new Blob([info.thumbnail.bytes as Uint8Array<ArrayBuffer>]).stream();
  await withStorage(() =>
    storage.write(options.thumbnailKey, thumbnail, { maxBytes: info.thumbnail.bytes.byteLength, type: info.thumbnail.type }),
  );
  return {
    size: stat.size,
    type: result.type,
    image: {
      width: info.width,
      height: info.height,
      color: info.color,
      thumbnail: { key: options.thumbnailKey, width: info.thumbnail.width, height: info.thumbnail.height },
    },
  };
}

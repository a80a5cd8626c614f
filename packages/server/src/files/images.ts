import type { BanterLogger } from '../observability/logger';
import { loadSharp } from './sharp-loader';

export interface ImageInfo {
  /** Display size, after the EXIF orientation is applied (what the widget reserves). */
  width: number;
  height: number;
  /** The dominant colour, `#rrggbb`: a placeholder while the thumbnail loads. */
  color: string;
  thumbnail: { bytes: Uint8Array; type: 'image/webp'; width: number; height: number };
}

export interface DescribeImageOptions {
  /** The thumbnail fits in a square of this many pixels (default 320). */
  thumbnailSize?: number;
  /** Refuse images with more pixels than this (decompression bombs); default 50 million. */
  maxPixels?: number;
  /** Told once when sharp (an optional peer) is not installed; images then have no preview. */
  logger?: Pick<BanterLogger, 'warn'>;
}

/**
 * Measure an image and make its thumbnail and placeholder colour with sharp. Returns null for bytes
 * sharp cannot decode (a corrupt or truncated image is stored as a plain file, without preview), and
 * when sharp is not installed.
 *
 * @example
 * ```ts
 * const info = await describeImage(bytes);
 * // { width: 1600, height: 1200, color: '#3a5f8c', thumbnail: { bytes, type: 'image/webp', width: 320, height: 240 } }
 * ```
 */
export async function describeImage(bytes: Uint8Array, options: DescribeImageOptions = {}): Promise<ImageInfo | null> {
  const size = options.thumbnailSize ?? 320;
  const sharp = await loadSharp(options.logger);
  if (!sharp) return null;
  // failOn 'error': a truncated file is refused rather than thumbnailed half grey.
  const input = () => sharp(bytes, { limitInputPixels: options.maxPixels ?? 50_000_000, failOn: 'error' });
  try {
    const metadata = await input().metadata();
    if (!metadata.width || !metadata.height) return null;
    // Orientations 5-8 are quarter turns: the displayed image is the stored one on its side.
    const turned = (metadata.orientation ?? 1) >= 5;
    const { data, info } = await input()
      .rotate()
      .resize(size, size, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 70 })
      .toBuffer({ resolveWithObject: true });
    const { dominant } = await sharp(data).stats();
    return {
      width: turned ? metadata.height : metadata.width,
      height: turned ? metadata.width : metadata.height,
      color: `#${[dominant.r, dominant.g, dominant.b].map((c) => c.toString(16).padStart(2, '0')).join('')}`,
      thumbnail: { bytes: new Uint8Array(data), type: 'image/webp', width: info.width, height: info.height },
    };
  } catch {
    return null;
  }
}

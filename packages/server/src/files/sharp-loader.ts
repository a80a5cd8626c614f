import type { Sharp, SharpOptions } from 'sharp';
import type { BanterLogger } from '../observability/logger';
import { importOptionalPeer } from '../optional-peer';

export type SharpFunction = (input?: Uint8Array, options?: SharpOptions) => Sharp;

/**
 * Loads sharp (an optional peer) once, on first use: libvips takes a second or so. When it cannot be
 * loaded, images are kept as plain files without preview, and the host hears why once, not per upload.
 *
 * @example
 * const loadSharp = createSharpLoader(() => import('sharp'));
 * const sharp = await loadSharp(logger); // null without sharp: no thumbnail
 */
export function createSharpLoader(load: () => Promise<{ default: unknown }>) {
  let loading: Promise<SharpFunction | null> | null = null;
  return (logger?: Pick<BanterLogger, 'warn'>): Promise<SharpFunction | null> =>
    (loading ??= importOptionalPeer(load, {
      name: 'sharp',
      neededFor: 'making image thumbnails',
      alternative: 'until then images are stored without one',
    }).then(
      (module) => module.default as SharpFunction,
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (logger) logger.warn({ component: 'files', err: { message } }, message);
        else console.warn(`banter: ${message}`);
        return null;
      },
    ));
}

/** sharp as this process has it (or has not). */
export const loadSharp = createSharpLoader(() => import('sharp'));

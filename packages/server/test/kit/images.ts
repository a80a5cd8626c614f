import sharp from 'sharp';

/** A real image made by sharp: a solid colour, in the given format. */
export async function makeImage(
  format: 'png' | 'jpeg' | 'gif' | 'webp' | 'avif',
  options: { width?: number; height?: number; color?: string; orientation?: number } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  let image = sharp({
    create: { width: options.width ?? 64, height: options.height ?? 48, channels: 3, background: options.color ?? '#3366cc' },
  }).toFormat(format);
  if (options.orientation) image = image.withMetadata({ orientation: options.orientation });
  return new Uint8Array(await image.toBuffer());
}

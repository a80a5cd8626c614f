import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { describeImage } from './images';
import { makeImage } from '../../test/kit/images';

describe('describeImage', () => {
  it('measures the image, makes a WebP thumbnail within 320 px and finds its colour', async () => {
    const info = await describeImage(await makeImage('jpeg', { width: 1600, height: 1200, color: '#ff0000' }));
    expect(info).toMatchObject({ width: 1600, height: 1200, thumbnail: { type: 'image/webp', width: 320, height: 240 } });
    const thumbnail = await sharp(info!.thumbnail.bytes).metadata();
    expect([thumbnail.format, thumbnail.width, thumbnail.height]).toEqual(['webp', 320, 240]);
    // JPEG and WebP are lossy: the red comes back nearly, not exactly, #ff0000.
    const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(info!.color.slice(i, i + 2), 16));
    expect(r).toBeGreaterThan(230);
    expect(g! + b!).toBeLessThan(40);
  });

  it('keeps a small image at its size', async () => {
    const info = await describeImage(await makeImage('png', { width: 40, height: 30, color: '#00ff00' }));
    expect(info).toMatchObject({ width: 40, height: 30, thumbnail: { width: 40, height: 30 } });
  });

  it('reports the displayed size of a photo turned by EXIF orientation', async () => {
    const info = await describeImage(await makeImage('jpeg', { width: 600, height: 300, orientation: 6 }));
    expect(info).toMatchObject({ width: 300, height: 600, thumbnail: { width: 160, height: 320 } });
  });

  it('answers null for bytes that are no image, a truncated image, and a decompression bomb', async () => {
    expect(await describeImage(new TextEncoder().encode('not an image'))).toBeNull();
    const png = await makeImage('png', { width: 400, height: 400 });
    expect(await describeImage(png.subarray(0, png.byteLength / 2))).toBeNull();
    expect(await describeImage(await makeImage('png', { width: 2000, height: 2000 }), { maxPixels: 1_000_000 })).toBeNull();
  });
});

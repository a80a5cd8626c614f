import { describe, expect, it } from 'vitest';
import { checkType, DEFAULT_ALLOWED_TYPES, SNIFF_BYTES, sniffType } from './sniff';
import { makeImage } from '../../test/kit/images';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('sniffType', () => {
  it('knows images by their bytes', async () => {
    for (const format of ['png', 'jpeg', 'gif', 'webp', 'avif'] as const) {
      expect(await sniffType(await makeImage(format))).toBe(`image/${format}`);
    }
  });

  it('knows binary formats by their signature', async () => {
    expect(await sniffType(utf8('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj'))).toBe('application/pdf');
    expect(await sniffType(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0, ...new Array(40).fill(0)]))).toBe('application/zip');
    expect(await sniffType(new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, ...new Array(60).fill(0)]))).toBe(
      'application/x-msdownload',
    );
  });

  it('finds markup that could run script, however it starts', async () => {
    expect(await sniffType(utf8('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'))).toBe('image/svg+xml');
    expect(await sniffType(utf8('\uFEFF  <?xml version="1.0"?>\n<svg><script>alert(1)</script></svg>'))).toBe('image/svg+xml');
    expect(await sniffType(utf8('<!DOCTYPE html><title>x</title>'))).toBe('text/html');
    expect(await sniffType(utf8('\n\n  <HTML><body>hi'))).toBe('text/html');
    expect(await sniffType(utf8('just text, then <script>alert(1)</script>'))).toBe('text/html');
    expect(await sniffType(utf8('<?xml version="1.0"?><note/>'))).toBe('application/xml');
  });

  it('calls UTF-8 without control characters text, anything else bytes', async () => {
    expect(await sniffType(utf8('name,count\nalice,3\n'))).toBe('text/plain');
    expect(await sniffType(utf8('héllo wörld ✓'))).toBe('text/plain');
    // A four-byte character cut by the end of the sample is still text.
    expect(await sniffType(utf8(`${'a'.repeat(SNIFF_BYTES - 2)}😀`).subarray(0, SNIFF_BYTES))).toBe('text/plain');
    expect(await sniffType(new Uint8Array([0, 1, 2, 3, 250, 251, 252]))).toBe('application/octet-stream');
    expect(await sniffType(utf8('text with a \u0000 NUL'))).toBe('application/octet-stream');
  });
});

describe('checkType', () => {
  it('stores the sniffed type, whatever the client claimed within the same kind', () => {
    expect(checkType('image/png', 'image/png', DEFAULT_ALLOWED_TYPES)).toEqual({ ok: true, type: 'image/png' });
    expect(checkType('image/jpeg', 'image/png', DEFAULT_ALLOWED_TYPES)).toEqual({ ok: true, type: 'image/jpeg' });
    expect(checkType('image/jpeg', 'IMAGE/JPG; q=1', DEFAULT_ALLOWED_TYPES)).toEqual({ ok: true, type: 'image/jpeg' });
    expect(checkType('application/pdf', '', DEFAULT_ALLOWED_TYPES)).toEqual({ ok: true, type: 'application/pdf' });
    expect(checkType('application/pdf', 'application/octet-stream', DEFAULT_ALLOWED_TYPES)).toEqual({ ok: true, type: 'application/pdf' });
  });

  it('lets a claim name what a container holds (CSV in text, DOCX in a zip), never more', () => {
    expect(checkType('text/plain', 'text/csv', DEFAULT_ALLOWED_TYPES)).toEqual({ ok: true, type: 'text/csv' });
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect(checkType('application/zip', docx, DEFAULT_ALLOWED_TYPES)).toEqual({ ok: true, type: docx });
    expect(checkType('text/plain', 'text/html', DEFAULT_ALLOWED_TYPES)).toMatchObject({ ok: false, reason: 'disguised' });
  });

  it('refuses a disguised file: a page or an SVG calling itself a picture or text', () => {
    expect(checkType('text/html', 'image/png', DEFAULT_ALLOWED_TYPES)).toEqual({
      ok: false,
      reason: 'disguised',
      detected: 'text/html',
      message: 'claims image/png but its bytes are text/html',
    });
    expect(checkType('image/svg+xml', 'image/png', DEFAULT_ALLOWED_TYPES)).toMatchObject({ ok: false, reason: 'disguised' });
    expect(checkType('image/png', 'image/svg+xml', DEFAULT_ALLOWED_TYPES)).toMatchObject({ ok: false, reason: 'disguised' });
    expect(checkType('application/x-msdownload', 'application/pdf', DEFAULT_ALLOWED_TYPES)).toMatchObject({
      ok: false,
      reason: 'disguised',
    });
  });

  it('refuses types not allowed (HTML, SVG, programs by default), and allows what the host adds', () => {
    expect(checkType('text/html', 'text/html', DEFAULT_ALLOWED_TYPES)).toEqual({
      ok: false,
      reason: 'not_allowed',
      detected: 'text/html',
      message: 'text/html files are not allowed here',
    });
    expect(checkType('image/svg+xml', 'image/svg+xml', DEFAULT_ALLOWED_TYPES)).toMatchObject({ reason: 'not_allowed' });
    expect(checkType('application/x-msdownload', '', DEFAULT_ALLOWED_TYPES)).toMatchObject({ reason: 'not_allowed' });
    expect(checkType('image/svg+xml', 'image/svg+xml', [...DEFAULT_ALLOWED_TYPES, 'image/svg+xml'])).toEqual({
      ok: true,
      type: 'image/svg+xml',
    });
  });
});

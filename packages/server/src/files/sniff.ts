import { fileTypeFromBuffer } from 'file-type';

/** How many leading bytes the type check reads (file-type's recommended sample). */
export const SNIFF_BYTES = 4100;

/** Raster images a browser may show inline: the only types served `inline`, and the ones thumbnailed. */
export const SAFE_IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif'];

/** What uploads accept by default (by their bytes): images, PDF, text, office files, archives, audio, video. */
export const DEFAULT_ALLOWED_TYPES: readonly string[] = [
  ...SAFE_IMAGE_TYPES,
  'image/heic',
  'application/pdf',
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/json',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'audio/aac',
  'audio/x-m4a',
  'video/mp4',
  'video/webm',
  'video/quicktime',
];

// Claims a plain-text file may carry: the bytes cannot tell CSV from text, and none of these runs.
const TEXT_CLAIMS = new Set(['text/plain', 'text/csv', 'text/markdown', 'application/json', 'text/tab-separated-values']);
// Zip containers file-type may see only as a zip from the first bytes.
const ZIP_CLAIM = /^application\/(vnd\.openxmlformats-officedocument\.|vnd\.oasis\.opendocument\.|epub\+zip$)/;
// Markup a browser would render (and run script in) if it were served as a page.
const HTML_START = /^(<!doctype html|<html|<head|<body|<script|<iframe|<!--)/;

/**
 * The type of a file from its first bytes, never from its name or a client's claim: a binary
 * signature (file-type), else markup (HTML, SVG, XML, which can carry script), else UTF-8 text, else
 * `application/octet-stream`.
 *
 * @example
 * ```ts
 * await sniffType(new TextEncoder().encode('<svg onload="alert(1)"/>')); // 'image/svg+xml'
 * ```
 */
export async function sniffType(head: Uint8Array): Promise<string> {
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  if (found && found.mime !== 'application/xml') return found.mime;
  const text = decodeText(head);
  if (text === null) return found?.mime ?? 'application/octet-stream';
  const start = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (/<svg[\s>/]/.test(start.slice(0, 4096)) && (start.startsWith('<svg') || start.startsWith('<?xml') || start.startsWith('<!'))) {
    return 'image/svg+xml';
  }
  if (HTML_START.test(start) || /<script[\s>]/.test(start)) return 'text/html';
  if (start.startsWith('<?xml')) return 'application/xml';
  return 'text/plain';
}

/** UTF-8 text without control characters (a character cut at the end of the sample is fine), else null. */
function decodeText(head: Uint8Array): string | null {
  if (head.byteLength === 0) return '';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head);
  } catch {
    // The sample may end inside a multi-byte character: retry without the last 3 bytes.
    if (head.byteLength < SNIFF_BYTES) return null;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.byteLength - 3));
    } catch {
      return null;
    }
  }
  return hasControlCharacters(text) ? null : text;
}

// Text has tabs, line breaks and form feeds; NUL, bell, escape and the like mean binary.
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x7f || (code < 0x20 && (code < 0x09 || code > 0x0d))) return true;
  }
  return false;
}

/** A media type without parameters, lower case: `Image/PNG; x=1` -> `image/png`. */
export function mediaTypeOf(claimed: string): string {
  return claimed.split(';')[0]!.trim().toLowerCase();
}

export type TypeCheck = { ok: true; type: string } | { ok: false; reason: 'not_allowed' | 'disguised'; detected: string; message: string };

/**
 * Decide the type a file is stored and served as, from its sniffed type. The client's claim only
 * refines a container the bytes cannot tell apart (CSV in text, DOCX in zip); a claim that the bytes
 * contradict (a page calling itself a PNG) is refused as disguised, a type not in `allowed` as such.
 *
 * @example
 * ```ts
 * checkType('text/html', 'image/png', DEFAULT_ALLOWED_TYPES);
 * // { ok: false, reason: 'disguised', detected: 'text/html', message: '… claims image/png but its bytes are text/html' }
 * ```
 */
export function checkType(detected: string, claimed: string, allowed: readonly string[]): TypeCheck {
  const claim = mediaTypeOf(claimed);
  let type = detected;
  if (detected === 'text/plain' && TEXT_CLAIMS.has(claim)) type = claim;
  else if (detected === 'application/zip' && ZIP_CLAIM.test(claim)) type = claim;
  const unclaimed = claim === '' || claim === 'application/octet-stream';
  if (!unclaimed && !sameKind(claim, type)) {
    return { ok: false, reason: 'disguised', detected, message: `claims ${claim} but its bytes are ${detected}` };
  }
  if (!allowed.includes(type)) {
    return { ok: false, reason: 'not_allowed', detected, message: `${type} files are not allowed here` };
  }
  return { ok: true, type };
}

// The same type, or two of one family whose difference is harmless (a JPEG named .png, QuickTime vs MP4).
function sameKind(claim: string, type: string): boolean {
  if (claim === type || (claim === 'image/jpg' && type === 'image/jpeg')) return true;
  const family = (t: string) => t.split('/')[0];
  const markup = (t: string) => t === 'image/svg+xml' || t === 'text/html' || t.endsWith('xml');
  if (markup(claim) || markup(type)) return false;
  return ['image', 'audio', 'video'].includes(family(claim)!) && family(claim) === family(type);
}

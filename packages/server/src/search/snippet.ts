/**
 * ts_headline marks matches with two private-use characters (stripped from the body first, so
 * they only ever mean "highlight"); this turns its output into plain text plus `[start, end)`
 * ranges, cut to a window around the first match. The client renders text, never markup.
 */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';

/** Characters of a snippet around the first match (a short body is returned whole). */
const WINDOW = 160;
/** How much text before the first match the window keeps. */
const LEAD = 50;
const ELLIPSIS = '…';

export interface Snippet {
  snippet: string;
  highlights: Array<[number, number]>;
}

/** Plain text and ranges of a marked body. */
export function unmark(marked: string): Snippet {
  let text = '';
  const highlights: Array<[number, number]> = [];
  let open = -1;
  for (const char of marked) {
    if (char === MARK_START) open = text.length;
    else if (char === MARK_END) {
      if (open >= 0 && text.length > open) highlights.push([open, text.length]);
      open = -1;
    } else text += char;
  }
  return { snippet: text, highlights };
}

/**
 * The snippet of a marked body: whole when it fits, else a window that starts a little before the
 * first match on a word boundary, with `…` where it was cut.
 *
 * @example
 * ```ts
 * snippetOf('say \uE000hello\uE001 world'); // { snippet: 'say hello world', highlights: [[4, 9]] }
 * ```
 */
export function snippetOf(marked: string): Snippet {
  const whole = unmark(marked);
  const text = whole.snippet;
  if (text.length <= WINDOW) return whole;
  const first = whole.highlights[0]?.[0] ?? 0;
  let start = Math.max(0, first - LEAD);
  // Start at a word: after the first space at or past `start` (if it is before the match).
  if (start > 0) {
    const space = text.slice(start, first).search(/\s/);
    if (space >= 0) start += space + 1;
  }
  let end = Math.min(text.length, start + WINDOW);
  if (end < text.length) {
    const lastSpace = text.slice(start, end).search(/\s\S*$/);
    if (lastSpace > 0 && start + lastSpace > first) end = start + lastSpace;
  }
  // Never split a surrogate pair at either edge.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start++;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end--;
  const lead = start > 0 ? ELLIPSIS : '';
  const tail = end < text.length ? ELLIPSIS : '';
  const shift = lead.length - start;
  const highlights = whole.highlights
    .filter(([s, e]) => e > start && s < end)
    .map(([s, e]): [number, number] => [Math.max(s, start) + shift, Math.min(e, end) + shift]);
  return { snippet: lead + text.slice(start, end).trimEnd() + tail, highlights };
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

export type TextPart = { text: string; href?: undefined } | { text: string; href: string };

/** Counts the scanner's steps (one per character visited); tests use it to prove linear time. */
export interface ScanStats {
  steps: number;
}

// Characters that end a URL outright: < > " and whitespace (what the regex class \s matches).
const isStop = (c: number) =>
  c <= 32 ||
  c === 60 ||
  c === 62 ||
  c === 34 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;
// Trailing punctuation that belongs to the sentence, not to the URL: . , ; : ! ? ' " ] }
const TRAILING = new Set([46, 44, 59, 58, 33, 63, 39, 34, 93, 125]);
const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
const TTP = [116, 116, 112];

/**
 * Splits a message body into plain text and http(s) links. The caller renders each part as a text
 * child (never HTML), so nothing in a message body can reach the DOM as markup. Only explicit
 * http(s) URLs become links: "javascript:", "data:" and friends stay plain text.
 *
 * One pass over the body, each character visited at most twice (once forward, once when trimming a
 * URL's tail), with a look-back of one character (the word boundary before "http"). A regular
 * expression with `+$` or a recount of parentheses per trimmed character was quadratic: a body of
 * "https://a" and 4,000 ")" froze the receiver's tab (issue 22, finding 3).
 *
 * @example
 * splitLinks('see https://example.com.');
 * // [{ text: 'see ' }, { text: 'https://example.com', href: 'https://example.com/' }, { text: '.' }]
 */
export function splitLinks(body: string, stats?: ScanStats): TextPart[] {
  const parts: TextPart[] = [];
  const n = body.length;
  let last = 0;
  let i = 0;
  let steps = 0;
  while (i < n) {
    steps++;
    const schemeEnd = schemeAt(body, i);
    if (schemeEnd < 0) {
      i++;
      continue;
    }
    // Forward: to the first stop character, counting parentheses on the way.
    let end = schemeEnd;
    let opens = 0;
    let closes = 0;
    for (; end < n; end++) {
      steps++;
      const c = body.charCodeAt(end);
      if (isStop(c)) break;
      if (c === 40) opens++;
      else if (c === 41) closes++;
    }
    // Backward: drop trailing punctuation, and a ")" that closes nothing the URL opened.
    let cut = end;
    while (cut > schemeEnd) {
      steps++;
      const c = body.charCodeAt(cut - 1);
      if (TRAILING.has(c)) cut--;
      else if (c === 41 && closes > opens) {
        cut--;
        closes--;
      } else break;
    }
    const raw = body.slice(i, cut);
    const href = cut > schemeEnd ? safeHref(raw) : null;
    if (href) {
      if (i > last) parts.push({ text: body.slice(last, i) });
      parts.push({ text: raw, href });
      last = cut;
    }
    // The trimmed tail is punctuation and the scan resumes after the whole run: nothing is revisited.
    i = end;
  }
  if (last < n) parts.push({ text: body.slice(last) });
  if (stats) stats.steps += steps;
  return parts;
}

/** Where the URL after "http://" or "https://" at `i` starts, or -1 (checks at most 8 characters). */
function schemeAt(body: string, i: number): number {
  if (lower(body.charCodeAt(i)) !== 104 || (i > 0 && isWordChar(body.charCodeAt(i - 1)))) return -1;
  let j = i + 1;
  for (const c of TTP) if (lower(body.charCodeAt(j++)) !== c) return -1;
  if (lower(body.charCodeAt(j)) === 115) j++;
  return body.startsWith('://', j) ? j + 3 : -1;
}

function safeHref(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

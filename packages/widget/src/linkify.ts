export type TextPart = { text: string; href?: undefined } | { text: string; href: string };

// Only explicit http(s) URLs become links: "javascript:", "data:" and friends stay plain text.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/gi;
const TRAILING = /[.,;:!?'"\]}>]+$/;

/**
 * Splits a message body into plain text and http(s) links. The caller renders each part as a text
 * child (never HTML), so nothing in a message body can reach the DOM as markup.
 *
 * @example
 * splitLinks('see https://example.com.');
 * // [{ text: 'see ' }, { text: 'https://example.com', href: 'https://example.com/' }, { text: '.' }]
 */
export function splitLinks(body: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of body.matchAll(URL_PATTERN)) {
    let raw = match[0];
    raw = raw.replace(TRAILING, '');
    // A closing parenthesis belongs to the URL only when it opened one: "(see https://x.y/a)".
    while (raw.endsWith(')') && count(raw, '(') < count(raw, ')')) raw = raw.slice(0, -1).replace(TRAILING, '');
    const href = safeHref(raw);
    if (!href) continue;
    const start = match.index!;
    if (start > last) parts.push({ text: body.slice(last, start) });
    parts.push({ text: raw, href });
    last = start + raw.length;
  }
  if (last < body.length) parts.push({ text: body.slice(last) });
  return parts;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

function safeHref(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

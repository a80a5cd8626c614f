import { describe, expect, it } from 'vitest';
import { type ScanStats, splitLinks } from './linkify';

describe('splitLinks', () => {
  it('turns http and https URLs into links and keeps the rest as text', () => {
    expect(splitLinks('see https://example.com/a?b=1 and http://x.org')).toEqual([
      { text: 'see ' },
      { text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { text: ' and ' },
      { text: 'http://x.org', href: 'http://x.org/' },
    ]);
  });

  it('leaves trailing punctuation and an unopened parenthesis outside the link', () => {
    expect(splitLinks('(go to https://example.com/x).')).toEqual([
      { text: '(go to ' },
      { text: 'https://example.com/x', href: 'https://example.com/x' },
      { text: ').' },
    ]);
    expect(splitLinks('https://en.wikipedia.org/wiki/Foo_(bar)')[0]!.href).toBe('https://en.wikipedia.org/wiki/Foo_(bar)');
  });

  it('never links other schemes', () => {
    for (const body of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://example.com', 'www.example.com']) {
      expect(splitLinks(body)).toEqual([{ text: body }]);
    }
  });

  it('keeps the whole text, in order, whatever it contains', () => {
    const body = 'a <img src=x onerror=alert(1)> https://a.b/<script> c';
    expect(
      splitLinks(body)
        .map((p) => p.text)
        .join(''),
    ).toBe(body);
    expect(splitLinks(body).find((p) => p.href)?.href).toBe('https://a.b/');
  });

  it('keeps punctuation after a URL and case-insensitive schemes as before', () => {
    expect(splitLinks('HTTPS://Example.com/a, ok')).toEqual([
      { text: 'HTTPS://Example.com/a', href: 'https://example.com/a' },
      { text: ', ok' },
    ]);
    expect(splitLinks('xhttps://a.b')).toEqual([{ text: 'xhttps://a.b' }]);
    expect(splitLinks('https://.')).toEqual([{ text: 'https://.' }]);
    expect(splitLinks('a\u00a0https://a.b/c\u2003d').map((p) => p.text)).toEqual(['a\u00a0', 'https://a.b/c', '\u2003d']);
  });

  // Issue 22 finding 3: "https://a" then 4,000 ")" took quadratic time and froze the receiver's tab.
  it('visits each character a bounded number of times, whatever the body', () => {
    const bodies = (n: number) => [
      `https://a${')'.repeat(n)}`,
      `https://a${'.,;:!?'.repeat(n / 6)}x`,
      `https://a${'('.repeat(n / 2)}${')'.repeat(n / 2)}`,
      'https://a '.repeat(n / 10),
      'http'.repeat(n / 4),
      `${'h'.repeat(n)}ttps://a`,
    ];
    for (const n of [1_200, 4_800]) {
      for (const body of bodies(n)) {
        const stats: ScanStats = { steps: 0 };
        splitLinks(body, stats);
        // The count is real (it sees the body), and at most three steps per character.
        expect(stats.steps, body.slice(0, 20)).toBeGreaterThanOrEqual(body.length / 2);
        expect(stats.steps, body.slice(0, 20)).toBeLessThanOrEqual(3 * body.length + 3);
      }
    }
    // The tail is still trimmed: the link is "https://a", the parentheses stay text.
    expect(splitLinks(`https://a${')'.repeat(4_000)}`)[0]).toEqual({ text: 'https://a', href: 'https://a/' });
  });
});

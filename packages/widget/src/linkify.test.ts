import { describe, expect, it } from 'vitest';
import { splitLinks } from './linkify';

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
    expect(splitLinks(body).map((p) => p.text).join('')).toBe(body);
    expect(splitLinks(body).find((p) => p.href)?.href).toBe('https://a.b/');
  });
});

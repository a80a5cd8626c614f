import { describe, expect, it } from 'vitest';
import { MARK_END, MARK_START, snippetOf, unmark } from './snippet';

const mark = (word: string) => `${MARK_START}${word}${MARK_END}`;
const words = (s: { snippet: string; highlights: Array<[number, number]> }) => s.highlights.map(([a, b]) => s.snippet.slice(a, b));

describe('search snippets', () => {
  it('turns markers into ranges of the plain text', () => {
    const out = unmark(`say ${mark('hello')} and ${mark('héllo👍')}`);
    expect(out.snippet).toBe('say hello and héllo👍');
    expect(words(out)).toEqual(['hello', 'héllo👍']);
    // An unclosed or empty mark highlights nothing.
    expect(unmark(`a ${MARK_START}b`).highlights).toEqual([]);
    expect(unmark(`a ${MARK_START}${MARK_END}b`).highlights).toEqual([]);
  });

  it('keeps a short body whole and cuts a long one around the first match, on word boundaries', () => {
    expect(snippetOf(`short ${mark('one')}`)).toEqual({ snippet: 'short one', highlights: [[6, 9]] });
    const before = 'lorem ipsum '.repeat(30);
    const after = ' dolor sit amet'.repeat(30);
    const out = snippetOf(`${before}${mark('needle')} and ${mark('needle')}${after}`);
    expect(out.snippet.startsWith('…')).toBe(true);
    expect(out.snippet.endsWith('…')).toBe(true);
    expect(out.snippet.length).toBeLessThanOrEqual(162);
    expect(words(out)).toEqual(['needle', 'needle']);
    // Whole words at both edges.
    expect(out.snippet.slice(1).split(' ')[0]).toMatch(/^(lorem|ipsum)$/);
    expect(out.snippet.slice(0, -1).split(' ').at(-1)).toMatch(/^(dolor|sit|amet)$/);
  });

  it('never splits a surrogate pair at a cut', () => {
    const out = snippetOf(`${'👍'.repeat(200)}${mark('x')}${'👍'.repeat(200)}`);
    expect(out.snippet).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(words(out)).toEqual(['x']);
  });
});

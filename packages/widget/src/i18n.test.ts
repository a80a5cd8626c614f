import { describe, expect, it } from 'vitest';
import { createTranslator, de, en, fr } from './i18n';

describe('createTranslator', () => {
  it('has every English key in every shipped locale', () => {
    for (const dict of [de, fr]) expect(Object.keys(dict).sort()).toEqual(Object.keys(en).sort());
  });

  it('falls back from a region tag to its language, and to English for unknown locales', () => {
    expect(createTranslator('de-AT').t('send')).toBe('Senden');
    expect(createTranslator('fr').t('send')).toBe('Envoyer');
    expect(createTranslator('xx').t('send')).toBe('Send');
  });

  it('fills placeholders, picks plural forms and joins lists', () => {
    const tr = createTranslator('en');
    expect(tr.plural('unreadBadge', 1)).toBe('1 unread message');
    expect(tr.plural('unreadBadge', 3)).toBe('3 unread messages');
    expect(tr.t('readBy', { count: 2, total: 3 })).toBe('Read by 2 of 3');
    expect(tr.list(['Ann', 'Bob', 'Cy'])).toBe('Ann, Bob and Cy');
    expect(createTranslator('de').list(['Ann', 'Bob'])).toBe('Ann und Bob');
  });

  it('applies per-key overrides', () => {
    expect(createTranslator('en', { send: 'Go' }).t('send')).toBe('Go');
  });
});

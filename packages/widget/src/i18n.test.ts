import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTranslator, en, loadStrings } from './i18n';
import { de } from './locales/de';
import { fr } from './locales/fr';
import { actionsEn } from './locales/actions-en';
import { notifyEn } from './locales/notify-en';
import { peopleEn } from './locales/people-en';
import { repliesEn } from './locales/replies-en';

describe('createTranslator', () => {
  it('has every English key in every shipped locale (those of the people, notifications, message actions and replies chunks too)', () => {
    const keys = Object.keys({ ...en, ...peopleEn, ...notifyEn, ...actionsEn, ...repliesEn }).sort();
    for (const dict of [de, fr]) expect(Object.keys(dict).sort()).toEqual(keys);
  });

  it('loads a region tag as its language, and English for unknown locales', async () => {
    expect(createTranslator('de-AT', await loadStrings('de-AT')).t('send')).toBe('Senden');
    expect(createTranslator('de', await loadStrings('DE')).t('send')).toBe('Senden');
    expect(createTranslator('fr', fr).t('send')).toBe('Envoyer');
    expect(createTranslator('xx', await loadStrings('xx')).t('send')).toBe('Send');
  });

  it('fills placeholders, picks plural forms and joins lists', () => {
    const tr = createTranslator('en');
    expect(tr.plural('unreadBadge', 1)).toBe('1 unread message');
    expect(tr.plural('unreadBadge', 3)).toBe('3 unread messages');
    expect(tr.t('readBy', { count: 2, total: 3 })).toBe('Read by 2 of 3');
    expect(tr.list(['Ann', 'Bob', 'Cy'])).toBe('Ann, Bob and Cy');
    expect(createTranslator('de', de).list(['Ann', 'Bob'])).toBe('Ann und Bob');
    expect(createTranslator('de', de).plural('unreadBadge', 2)).toBe('2 ungelesene Nachrichten');
  });

  it('applies per-key overrides', () => {
    expect(createTranslator('en', { ...en, send: 'Go' }).t('send')).toBe('Go');
    // Keys a partial dictionary lacks fall back to English.
    expect(createTranslator('en', { send: 'Go' }).t('retry')).toBe('Retry');
  });
});

describe('locales', () => {
  // Issue 13: i18n.ts loads the locales lazily, so a locale importing i18n.ts was an import cycle.
  it('import nothing from i18n.ts', () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), 'locales');
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) expect(readFileSync(join(dir, file), 'utf8'), file).not.toMatch(/from '\.\.\/i18n'/);
  });
});

import { en, type Strings } from './locales/en';

export { en, type Strings };
export type StringKey = keyof Strings;

/**
 * Locales besides English that `locale` picks by itself, loaded on demand (a separate chunk for
 * bundlers). French ships too, opt-in to keep the script-tag build small:
 * `import { fr } from '@banter/widget/locales/fr'` and pass `{ locale: 'fr', strings: fr }`.
 */
export const locales: Record<string, () => Promise<Strings>> = {
  de: () => import('./chunks/locale-de').then((m) => m.de),
};

/** The shipped locale for a tag ("de-AT" -> "de"), or undefined (English). */
export function matchLocale(tag: string): string | undefined {
  const lower = tag.toLowerCase();
  return lower in locales ? lower : Object.keys(locales).find((l) => lower.split('-')[0] === l);
}

/**
 * The strings of a shipped locale (English for anything else).
 *
 * @example
 * const strings = await loadStrings('de-AT'); // German
 */
export async function loadStrings(tag: string): Promise<Strings> {
  const match = matchLocale(tag);
  return match ? locales[match]!() : en;
}

type PluralBase<K> = K extends `${infer B}_one` ? B : never;
export type PluralKey = PluralBase<StringKey>;

export interface Translator {
  /** The BCP 47 tag actually used (for Intl date formatting). */
  locale: string;
  t(key: StringKey, vars?: Record<string, string | number>): string;
  /** Picks `key_one` or `key_other` for `count` and fills `{count}`. */
  plural(key: PluralKey, count: number, vars?: Record<string, string | number>): string;
  /** "Ann", "Ann and Bob", "Ann, Bob and Cy". */
  list(items: string[]): string;
}

const fill = (text: string, vars?: Record<string, string | number>) =>
  vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;

/**
 * A translator over `strings` (English for keys they lack); `locale` drives plurals and dates.
 *
 * @example
 * const { t, plural } = createTranslator('de', await loadStrings('de'));
 * t('send'); // "Senden"
 * plural('unreadBadge', 2); // "2 ungelesene Nachrichten"
 */
export function createTranslator(locale = 'en', strings: Partial<Strings> = en): Translator {
  const tag = locale;
  let rules: Intl.PluralRules;
  try {
    rules = new Intl.PluralRules(tag);
  } catch {
    rules = new Intl.PluralRules('en');
  }
  // The people chunk's keys have no English here (it brings its own): undefined, for it to fill in.
  const t = (key: StringKey, vars?: Record<string, string | number>) => fill((strings[key] ?? (en as Strings)[key])!, vars);
  return {
    locale: tag,
    t,
    plural: (key, count, vars) => t(`${key}_${rules.select(count) === 'one' ? 'one' : 'other'}` as StringKey, { count, ...vars }),
    list: (items) => (items.length < 2 ? (items[0] ?? '') : t('and', { a: items.slice(0, -1).join(', '), b: items[items.length - 1]! })),
  };
}

/** The locale to use when none is given: the page's `lang`, then the browser's. */
export function detectLocale(): string {
  if (typeof document !== 'undefined' && document.documentElement.lang) return document.documentElement.lang;
  if (typeof navigator !== 'undefined' && navigator.language) return navigator.language;
  return 'en';
}

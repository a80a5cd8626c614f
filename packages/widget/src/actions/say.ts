import type { WidgetContextValue } from '../context';
import { actionsEn } from '../locales/actions-en';

type Key = keyof typeof actionsEn;
type PluralBase<K> = K extends `${infer B}_one` ? B : never;

export interface Say {
  (key: Key, vars?: Record<string, string | number>): string;
  /** `key_one` or `key_other` for `count`, `{count}` filled. */
  plural(key: PluralBase<Key>, count: number, vars?: Record<string, string | number>): string;
}

/**
 * The message actions' strings: the locale's or the host's, else this chunk's English (widget.js
 * has none of them, so the translator's own fallback is undefined here).
 */
export function sayer({ tr }: Pick<WidgetContextValue, 'tr'>): Say {
  const say = ((key, vars = {}) =>
    ((tr.t(key) as string | undefined) ?? actionsEn[key]).replace(/\{(\w+)\}/g, (m, name: string) =>
      name in vars ? String(vars[name]) : m,
    )) as Say;
  say.plural = (key, count, vars) =>
    say(`${key}_${new Intl.PluralRules(tr.locale).select(count) === 'one' ? 'one' : 'other'}` as Key, { count, ...vars });
  return say;
}

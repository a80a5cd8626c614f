import type { User } from '@banter/core';
import type { Translator } from './i18n';
import { dayKey } from './group-messages';

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, options);
    } catch {
      f = new Intl.DateTimeFormat('en', options);
    }
    cache.set(key, f);
  }
  return f;
}

/** "14:05" or "2:05 PM", as the locale writes it. */
export function formatTime(iso: string, locale: string): string {
  return formatter(locale, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

/** A day separator: "Today", "Yesterday", or the date as the locale writes it. */
export function formatDay(day: string, tr: Translator, now = new Date()): string {
  if (day === dayKey(now.toISOString())) return tr.t('today');
  if (day === dayKey(new Date(now.getTime() - 86_400_000).toISOString())) return tr.t('yesterday');
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return formatter(tr.locale, { dateStyle: 'full' }).format(new Date(y, m - 1, d));
}

/** A conversation list timestamp: the time today, the date otherwise. */
export function formatListTime(iso: string, locale: string, now = new Date()): string {
  return dayKey(iso) === dayKey(now.toISOString())
    ? formatTime(iso, locale)
    : formatter(locale, { day: 'numeric', month: 'short' }).format(new Date(iso));
}

/** The name to show for a user: their name, else their id. */
export function displayName(user: Pick<User, 'id' | 'name'> | undefined, fallback = ''): string {
  return user?.name?.trim() || user?.id || fallback;
}

/** Up to two initials: "Ann Lee" -> "AL", "bob" -> "B". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return letters.map((w) => Array.from(w)[0]!.toUpperCase()).join('') || '?';
}

/** A stable colour slot (0-7) for an id, so each person keeps their avatar colour. */
export function colorSlot(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
  return Math.abs(h) % 8;
}

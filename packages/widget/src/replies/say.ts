import type { WidgetContextValue } from '../context';
import { repliesEn } from '../locales/replies-en';

export type Key = keyof typeof repliesEn;

/** The replies chunk's strings: the locale's or the host's, else this chunk's English (widget.js has none). */
export function repliesSayer({ tr }: Pick<WidgetContextValue, 'tr'>) {
  const say = (key: Key, vars: Record<string, string | number> = {}) =>
    ((tr.t(key) as string | undefined) ?? repliesEn[key]).replace(/\{(\w+)\}/g, (m, name: string) =>
      name in vars ? String(vars[name]) : m,
    );
  const plural = (key: 'replies', count: number) =>
    say(`${key}_${new Intl.PluralRules(tr.locale).select(count) === 'one' ? 'one' : 'other'}`, { count });
  return { say, plural };
}

/** A participant's name as the list shows it (the id when they have none). */
export function nameOf(client: WidgetContextValue['client'], conversationId: string, userId: string | null): string {
  const p = client.store.getSnapshot().conversations[conversationId]?.conversation.participants.find((x) => x.user.id === userId);
  return p?.user.name?.trim() || userId || '';
}

/** At most `n` characters of a message's text, on one line. */
export const excerpt = (text: string, n = 80) => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

export interface Groupable {
  clientId: string;
  senderId: string;
  createdAt: string;
}

export interface MessageGroup<M extends Groupable> {
  key: string;
  senderId: string;
  messages: M[];
}

export interface MessageDay<M extends Groupable> {
  /** Local calendar day, YYYY-MM-DD. */
  day: string;
  groups: MessageGroup<M>[];
}

/** The local calendar day of an ISO timestamp, as YYYY-MM-DD. */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * Groups messages (already in display order) by local day, then into runs of one sender.
 * A new day always starts a new group, even for the same sender, and so does `startsGroup` (the
 * first unread message, which gets a divider above it).
 *
 * @example
 * groupMessages(messages).map((d) => [d.day, d.groups.map((g) => g.senderId)]);
 * // [['2026-11-25', ['ann', 'bob']], ['2026-11-26', ['bob']]]
 */
export function groupMessages<M extends Groupable>(messages: readonly M[], startsGroup?: M): MessageDay<M>[] {
  const days: MessageDay<M>[] = [];
  for (const message of messages) {
    const day = dayKey(message.createdAt);
    let current = days[days.length - 1];
    if (!current || current.day !== day) {
      current = { day, groups: [] };
      days.push(current);
    }
    const group = current.groups[current.groups.length - 1];
    if (group && group.senderId === message.senderId && message !== startsGroup) group.messages.push(message);
    else current.groups.push({ key: message.clientId, senderId: message.senderId, messages: [message] });
  }
  return days;
}

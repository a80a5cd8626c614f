import type { Database } from '../db/create-database';
import { importOptionalPeer } from '../optional-peer';
import type { NotificationEmailOptions } from './config';
import type { Channel } from './deliveries';
import type { NotificationDue } from './scheduler';

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;
// One line, no control characters: a header never spans lines whatever a name holds.
const oneLine = (text: string, max: number) =>
  Array.from(text)
    .map((ch) => (ch.charCodeAt(0) < 32 || ch === '\u007f' || ch === '\u2028' || ch === '\u2029' ? ' ' : ch))
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, max);

/** The mail of one notification: plain text only (nothing in it is ever read as HTML). */
export function notificationMail(due: NotificationDue, title: string | null, link: string | null): { subject: string; text: string } {
  const where = title ?? due.previews.at(-1)?.senderName ?? due.previews.at(-1)?.senderId ?? 'a conversation';
  const count = due.unreadCount;
  const subject = oneLine(`${count} unread message${count === 1 ? '' : 's'} in ${where}`, 150);
  const lines = due.previews.map((p) => `${oneLine(p.senderName ?? p.senderId, 80)}: ${oneLine(p.body, 200)}`);
  const more = count > due.previews.length ? [`…and ${count - due.previews.length} more.`] : [];
  const text = [...lines, ...more, '', ...(link ? [`Read them: ${link}`] : [])].join('\n');
  return { subject, text };
}

/**
 * The email channel: nodemailer (an optional peer) through the host's transport, one mail per
 * notification, to `address(userId)` (default: the id when it is an address). No address: done.
 */
export function createEmailChannel(options: NotificationEmailOptions, database: Database, timeoutMs: number): Channel {
  let transport: Promise<{ sendMail(mail: Record<string, unknown>): Promise<unknown> }> | null = null;
  const load = () =>
    (transport ??= importOptionalPeer(() => import('nodemailer'), { name: 'nodemailer', neededFor: 'notification emails' }).then(
      (module) => {
        const nodemailer = ((module as unknown as { default?: typeof module }).default ?? module) as typeof import('nodemailer');
        const base = typeof options.transport === 'string' ? { url: options.transport } : options.transport;
        return nodemailer.createTransport({ connectionTimeout: timeoutMs, socketTimeout: timeoutMs, ...base } as never);
      },
    ));
  return async (row) => {
    const due = row.payload;
    const address = options.address ? await options.address(due.userId) : EMAIL.test(due.userId) ? due.userId : null;
    if (!address) return { ok: true };
    if (!EMAIL.test(address)) return { ok: false, error: 'address() gave something that is not an email address', gone: false };
    const conversation = await database.kysely
      .selectFrom('conversations')
      .select('title')
      .where('id', '=', due.conversationId)
      .executeTakeFirst();
    const mail = notificationMail(due, conversation?.title ?? null, options.link?.(due) ?? null);
    await (await load()).sendMail({ from: options.from, to: address, subject: mail.subject, text: mail.text });
    return { ok: true };
  };
}

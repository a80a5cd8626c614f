import { userIdSchema } from '@banter/core/protocol';
import { parseCommandArgs } from './args';
import { CliError } from './cli-error';
import { type DataCommandIo, withChat } from './data-commands';

const DB_FLAGS = { 'database-url': { type: 'string' }, 'data-dir': { type: 'string' } } as const;

/** The moderation commands (docs/moderation.md), dispatched from run.ts. */
export const MODERATION_COMMANDS = ['reports', 'ban', 'unban', 'delete-message'] as const;

function userArg(command: string, value: string | undefined): string {
  if (!value) throw new CliError(`banter ${command}: give a user id, e.g. banter ${command} mallory`);
  const parsed = userIdSchema.safeParse(value);
  if (!parsed.success) throw new CliError(`banter ${command}: invalid user id "${value}": ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

const text = (value: string | boolean | undefined) => (typeof value === 'string' ? value : undefined);
const oneLine = (value: string, max: number) => {
  const flat = value.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/**
 * `banter reports [--limit 50] [--cursor C] [--conversation ID]`, `banter ban USER [--conversation ID]
 * [--reason TEXT]`, `banter unban USER [--conversation ID]`, `banter delete-message CONVERSATION MESSAGE`.
 * Returns `null` when `help` is asked (run.ts prints it).
 *
 * @example
 * await moderationCommand('ban', ['mallory', '--reason', 'spam'], io);
 */
export async function moderationCommand(
  command: (typeof MODERATION_COMMANDS)[number],
  args: string[],
  io: DataCommandIo,
): Promise<number | null> {
  if (command === 'reports') {
    const flags = { limit: { type: 'string' }, cursor: { type: 'string' }, conversation: { type: 'string' }, ...DB_FLAGS } as const;
    const { values } = parseCommandArgs(args, flags, 'reports');
    if (values.help) return null;
    const limitText = text(values.limit) ?? '50';
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100) {
      throw new CliError(`banter reports: --limit must be a number from 1 to 100 (got "${limitText}")`);
    }
    return withChat(values, io, async (chat) => {
      const page = await chat.api.listReports({ limit, cursor: text(values.cursor), conversationId: text(values.conversation) });
      if (page.reports.length === 0) {
        io.stdout('No reports.');
        return 0;
      }
      io.stdout(['REPORTED AT', 'REPORT', 'CONVERSATION', 'MESSAGE', 'REPORTER', 'REASON', 'MESSAGE NOW'].join('\t'));
      for (const r of page.reports) {
        const now = r.message === null ? '(gone)' : r.message.deletedAt ? '(deleted)' : oneLine(r.message.body, 60);
        io.stdout([r.createdAt, r.id, r.conversationId, r.messageId, r.reporterId, oneLine(r.reason, 80), now].join('\t'));
      }
      io.stdout(
        page.nextCursor
          ? `${page.reports.length} report(s); more with: banter reports --cursor ${page.nextCursor}`
          : `${page.reports.length} report(s).`,
      );
      return 0;
    });
  }
  if (command === 'ban' || command === 'unban') {
    const flags = {
      conversation: { type: 'string' },
      ...(command === 'ban' ? { reason: { type: 'string' as const } } : {}),
      ...DB_FLAGS,
    } as const;
    const { values, positionals } = parseCommandArgs(args, flags, command, 1);
    if (values.help) return null;
    const userId = userArg(command, positionals[0]);
    const conversationId = text(values.conversation);
    const where = conversationId ? `conversation ${conversationId}` : 'the whole app';
    return withChat(values, io, async (chat) => {
      if (command === 'ban') {
        await chat.api.banUser(userId, { conversationId, reason: text(values.reason) });
        io.stdout(`Banned ${userId} from ${where}: their requests there now answer 403 (running servers: within 2 s).`);
      } else {
        await chat.api.unbanUser(userId, { conversationId });
        io.stdout(`Unbanned ${userId} from ${where}.`);
      }
      return 0;
    });
  }
  const { values, positionals } = parseCommandArgs(args, DB_FLAGS, 'delete-message', 2);
  if (values.help) return null;
  const [conversationId, messageId] = positionals;
  if (!conversationId || !messageId) {
    throw new CliError('banter delete-message: give the conversation id and the message id (see banter reports)');
  }
  return withChat(values, io, async (chat) => {
    const { message } = await chat.api.deleteMessage(conversationId, messageId);
    io.stdout(`Deleted message ${message.id} (seq ${message.seq}) of conversation ${message.conversationId} for everyone.`);
    return 0;
  });
}

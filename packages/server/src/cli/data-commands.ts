import { userIdSchema } from '@banter/core/protocol';
import { createChatServer } from '../chat-server';
import type { ChatServer } from '../chat-server-types';
import type { Database } from '../db/create-database';
import { storageFromEnv } from '../files/storage-from-env';
import { createLogger } from '../observability/logger';
import { CliError } from './cli-error';
import { type Env, resolveDatabase, resolveSecret } from './config';

type WithDatabase = (
  flags: Record<string, string | boolean | undefined>,
  env: Env,
  cwd: string,
  run: (database: Database, where: string) => Promise<number>,
) => Promise<number>;

export interface DataCommandIo {
  env: Env;
  cwd: string;
  stdout: (line: string) => void;
  withDatabase: WithDatabase;
}

function userIdArg(command: string, value: string | undefined): string {
  if (!value) throw new CliError(`banter ${command}: give a user id, e.g. banter ${command} alice`);
  const parsed = userIdSchema.safeParse(value);
  if (!parsed.success) throw new CliError(`banter ${command}: invalid user id "${value}": ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** A chat server over the command's database, for host-only calls: no dispatcher, no logs on stdout. */
export async function withChat(
  flags: Record<string, string | boolean | undefined>,
  io: DataCommandIo,
  run: (chat: ChatServer) => Promise<number>,
): Promise<number> {
  const { dataDir } = resolveDatabase(flags, io.env, io.cwd);
  const secret = await resolveSecret(io.env, dataDir);
  return io.withDatabase(flags, io.env, io.cwd, async (database) => {
    const chat = createChatServer({
      database,
      secret,
      storage: storageFromEnv(io.env, { dataDir }),
      dispatch: false,
      logger: createLogger({ level: 'silent' }),
    });
    try {
      await chat.ready;
      return await run(chat);
    } finally {
      await chat.close();
    }
  });
}

/**
 * `banter erase-user ID [--tombstone]`: erase a user for good (docs/data-ownership.md).
 *
 * @example
 * await eraseUserCommand('alice', { tombstone: true }, io);
 */
export async function eraseUserCommand(
  id: string | undefined,
  flags: Record<string, string | boolean | undefined>,
  io: DataCommandIo,
): Promise<number> {
  const userId = userIdArg('erase-user', id);
  return withChat(flags, io, async (chat) => {
    const report = await chat.api.eraseUser(userId, { mode: flags.tombstone ? 'tombstone' : 'delete' });
    const c = report.counts;
    io.stdout(
      `Erased ${userId} (${report.mode}): ${c.messages} message(s), ${c.participants} membership(s), ${c.uploads} upload(s), ` +
        `${c.outbox} outbox row(s), ${c.conversationsDeleted} emptied conversation(s); erasure ${report.erasureId}.`,
    );
    if (report.files.pending > 0) {
      io.stdout(
        `${report.files.pending} file(s) could not be removed yet: running servers retry them (check: banter doctor --verify-erasure ${userId}).`,
      );
    }
    return 0;
  });
}

/**
 * `banter export-user ID`: the user's data as JSON on stdout (GDPR access).
 *
 * @example
 * await exportUserCommand('alice', {}, io); // banter export-user alice > alice.json
 */
export async function exportUserCommand(
  id: string | undefined,
  flags: Record<string, string | boolean | undefined>,
  io: DataCommandIo,
): Promise<number> {
  const userId = userIdArg('export-user', id);
  return withChat(flags, io, async (chat) => {
    io.stdout(JSON.stringify(await chat.api.exportUser(userId), null, 2));
    return 0;
  });
}

/**
 * `banter doctor --verify-erasure ID`: scan every table and the file storage; exit 0 when nothing
 * of the user is left, 1 with what remains.
 *
 * @example
 * await verifyErasureCommand('alice', {}, io);
 */
export async function verifyErasureCommand(
  id: string | undefined,
  flags: Record<string, string | boolean | undefined>,
  io: DataCommandIo,
): Promise<number> {
  const userId = userIdArg('doctor --verify-erasure', id);
  return withChat(flags, io, async (chat) => {
    const report = await chat.api.verifyErasure(userId);
    if (report.erased) {
      io.stdout(`✓ nothing of ${userId} is left: 0 rows in every table, 0 files (${report.erasures} erasure record(s)).`);
      return 0;
    }
    io.stdout(`✗ ${userId} is not fully erased:`);
    for (const row of report.rows) io.stdout(`  ${row.table}.${row.column}: ${row.rows} row(s)`);
    for (const key of report.files) io.stdout(`  file ${key} still in storage (or queued for deletion)`);
    return 1;
  });
}

import { LIMITS, userIdSchema } from '@banter/core/protocol';
import type { ChatServer } from '../chat-server';

/** Dev tokens last half a day; the widget fetches a new one after a 401 anyway. */
const DEV_TOKEN_SECONDS = 12 * 60 * 60;

/**
 * A readable name for a user id: `alice` -> `Alice`, `jane.doe` -> `Jane Doe`.
 *
 * @example
 * friendlyName('mary_ann'); // 'Mary Ann'
 */
function friendlyName(userId: string): string {
  const words = userId.split(/[-_.@=,;]+/).filter(Boolean);
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
  return (name || userId).slice(0, LIMITS.nameLength);
}

/**
 * `GET /api/dev/token?user=ID[&name=NAME]` (only with `--dev`): creates or renames the user and
 * answers `{ token, user }`. Anyone who can reach the server can act as anyone: never in production.
 *
 * @example
 * const response = await devToken(chat, new URL('http://localhost:3000/api/dev/token?user=alice'));
 * // 200 { token: 'eyJ...', user: { id: 'alice', name: 'Alice', avatarUrl: null } }
 */
export async function devToken(chat: ChatServer, url: URL): Promise<{ status: number; body: unknown }> {
  const id = url.searchParams.get('user') ?? '';
  const parsed = userIdSchema.safeParse(id);
  if (!parsed.success) {
    return {
      status: 400,
      body: {
        error: {
          code: 'validation_failed',
          message: `invalid user ${JSON.stringify(id)}; give ?user=ID with ${parsed.error.issues[0]?.message ?? 'a valid user id'}`,
        },
      },
    };
  }
  const requestedName = url.searchParams.get('name')?.trim().slice(0, LIMITS.nameLength);
  const name = requestedName || friendlyName(parsed.data);
  const user = await chat.api.upsertUser({ id: parsed.data, name });
  const token = await chat.api.createUserToken(parsed.data, { expiresIn: DEV_TOKEN_SECONDS, name });
  return { status: 200, body: { token, user, expiresIn: DEV_TOKEN_SECONDS } };
}

import { LIMITS, userIdSchema } from '@banter/core/protocol';
import { ApiError } from '../errors/api-error';
import { cleanProfile, type Identity, verifyUserToken } from './tokens';

/** The host's own sign-in check (session cookie, its own JWT...); null means "not signed in". */
export type Authenticate = (request: Request) => Identity | null | undefined | Promise<Identity | null | undefined>;

/**
 * Who is calling: the host's `authenticate` first (when given), else the Banter bearer token.
 * Throws 401 when neither says who it is.
 */
export async function identify(request: Request, secret: string, authenticate?: Authenticate): Promise<Identity> {
  if (authenticate) {
    const identity = await authenticate(request);
    if (identity) {
      // The host's function returning a bad id is a host bug: a 500 in its logs, not a 401.
      const id = userIdSchema.safeParse(identity.id);
      if (!id.success) throw new Error(`banter: authenticate() returned an invalid user id ${JSON.stringify(identity.id)}`);
      // Its profile comes from the host's users: cleaned and cut to the limits, never a 500 for them.
      const profile = cleanProfile(identity);
      return { id: id.data, name: cut(profile.name, LIMITS.nameLength), avatarUrl: fitUrl(profile.avatarUrl) };
    }
  }
  const header = request.headers.get('authorization');
  if (!header) throw new ApiError('unauthorized', 'missing bearer token; send Authorization: Bearer <token>');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError('unauthorized', 'malformed Authorization header; expected Bearer <token>');
  return verifyUserToken(secret, match[1]!);
}

function cut(value: string | null | undefined, max: number): string | null | undefined {
  return typeof value === 'string' && value.length > max ? value.slice(0, max).replace(/[\ud800-\udbff]$/, '') : value;
}

/** A cut URL would point elsewhere: one over the limit is left out instead. */
function fitUrl(value: string | null | undefined): string | null | undefined {
  return typeof value === 'string' && value.length > LIMITS.avatarUrlLength ? null : value;
}

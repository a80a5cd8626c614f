import { userIdSchema } from '@banter/core/protocol';
import { ApiError } from '../http/errors';
import { checkProfile, type Identity, verifyUserToken } from './tokens';

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
      checkProfile(identity.name, identity.avatarUrl, (message) => new Error(`banter: authenticate() returned a profile whose ${message}`));
      return { id: id.data, name: identity.name, avatarUrl: identity.avatarUrl };
    }
  }
  const header = request.headers.get('authorization');
  if (!header) throw new ApiError('unauthorized', 'missing bearer token; send Authorization: Bearer <token>');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError('unauthorized', 'malformed Authorization header; expected Bearer <token>');
  return verifyUserToken(secret, match[1]!);
}

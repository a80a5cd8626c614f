import { cleanProfileText, LIMITS, profileTextProblem, userIdSchema } from '@banter/core/protocol';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { ApiError } from '../errors/api-error';

/** Who is calling: the user id and the profile claims the token (or the host) carries. */
export interface Identity {
  id: string;
  /** `undefined`: not stated (keep what is stored); `null`: explicitly none. */
  name?: string | null;
  avatarUrl?: string | null;
}

export interface CreateUserTokenOptions {
  /** Lifetime: seconds, or a jose time span such as `'2h'` or `'7d'`. */
  expiresIn: number | string;
  name?: string;
  avatarUrl?: string;
}

/** Minimum secret length: HS256 wants at least 256 bits of key. */
export const MIN_SECRET_LENGTH = 32;

export function assertSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new TypeError(`banter: secret must be a string of at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`);
  }
}

const encoder = new TextEncoder();

// jose imports a raw secret into WebCrypto on every call (0.02-0.4 ms of CPU per request in the
// bench's profiles); the imported key is reused instead. A server has one secret; the bound keeps a
// host that rotates secrets from growing this without end.
const verifyKeys = new Map<string, Promise<CryptoKey>>();
const MAX_CACHED_KEYS = 16;

function verifyKey(secret: string): Promise<CryptoKey> {
  let key = verifyKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    if (verifyKeys.size >= MAX_CACHED_KEYS) verifyKeys.delete(verifyKeys.keys().next().value!);
    verifyKeys.set(secret, key);
  }
  return key;
}

/**
 * Mint an HS256 token for a user of the host app; `sub` is the user id.
 *
 * @example
 * ```ts
 * const token = await createUserToken(process.env.BANTER_SECRET!, 'alice', { expiresIn: '1h', name: 'Alice' });
 * ```
 */
export async function createUserToken(secret: string, userId: string, options: CreateUserTokenOptions): Promise<string> {
  assertSecret(secret);
  const id = userIdSchema.safeParse(userId);
  if (!id.success) throw new TypeError(`banter: invalid user id ${JSON.stringify(userId)}: ${id.error.issues[0]?.message}`);
  checkProfile(options.name, options.avatarUrl, (message) => new TypeError(`banter: ${message}`));
  const claims: Record<string, string> = {};
  if (options.name !== undefined) claims.name = options.name;
  if (options.avatarUrl !== undefined) claims.avatarUrl = options.avatarUrl;
  const expiresIn = typeof options.expiresIn === 'number' ? `${Math.floor(options.expiresIn)}s` : options.expiresIn;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(encoder.encode(secret));
}

/**
 * Check a bearer token: HS256 only (never `none` or another algorithm), a valid signature, an
 * `exp` in the future and a valid `sub`. Throws a 401 ApiError that says which check failed.
 *
 * @example
 * ```ts
 * const identity = await verifyUserToken(secret, token); // { id: 'alice', name: 'Alice' }
 * ```
 */
export async function verifyUserToken(secret: string, token: string): Promise<Identity> {
  // A client sends the same token on every request until it expires: the signature and claims of
  // an exact token string already verified with this secret need no second check (WebCrypto's
  // HMAC job was the largest CPU item of a request in the profiles); only its expiry moves.
  const known = verifiedTokens(secret).get(token);
  if (known && known.exp > Math.floor(Date.now() / 1000)) return { ...known.identity };
  const { exp, ...identity } = await verifyTokenFully(secret, token);
  if (exp !== undefined) rememberToken(secret, token, { identity, exp });
  return { ...identity };
}

/**
 * Drop every remembered token of `userId` (an erasure keeps no trace of them in memory either).
 *
 * @example
 * forgetVerifiedTokens('alice');
 */
export function forgetVerifiedTokens(userId: string): void {
  for (const tokens of verifiedBySecret.values()) {
    for (const [token, verified] of tokens) if (verified.identity.id === userId) tokens.delete(token);
  }
}

interface VerifiedToken {
  identity: Identity;
  /** The token's `exp` (seconds since the epoch): refused from then on, as jose does. */
  exp: number;
}

const verifiedBySecret = new Map<string, Map<string, VerifiedToken>>();
const MAX_VERIFIED_TOKENS = 10_000;

function verifiedTokens(secret: string): Map<string, VerifiedToken> {
  let tokens = verifiedBySecret.get(secret);
  if (!tokens) {
    if (verifiedBySecret.size >= MAX_CACHED_KEYS) verifiedBySecret.delete(verifiedBySecret.keys().next().value!);
    tokens = new Map();
    verifiedBySecret.set(secret, tokens);
  }
  return tokens;
}

function rememberToken(secret: string, token: string, verified: VerifiedToken): void {
  const tokens = verifiedTokens(secret);
  tokens.delete(token);
  tokens.set(token, verified);
  // Oldest first in a Map: drop it to stay bounded.
  if (tokens.size > MAX_VERIFIED_TOKENS) tokens.delete(tokens.keys().next().value!);
}

async function verifyTokenFully(secret: string, token: string): Promise<Identity & { exp?: number }> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, await verifyKey(secret), { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'] }));
  } catch (error) {
    throw new ApiError('unauthorized', tokenErrorMessage(error));
  }
  const id = userIdSchema.safeParse(payload.sub);
  if (!id.success) throw new ApiError('unauthorized', 'invalid token; sub is not a valid user id');
  const { name, avatarUrl } = payload;
  if (name !== undefined && typeof name !== 'string') throw new ApiError('unauthorized', 'invalid token; name must be a string');
  if (avatarUrl !== undefined && typeof avatarUrl !== 'string') {
    throw new ApiError('unauthorized', 'invalid token; avatarUrl must be a string');
  }
  // A token minted elsewhere may carry a name with a NUL or a lone surrogate (a display name the
  // host's users chose): stripped, so the user is not locked out by a 500 or a 401 on every request.
  const profile = cleanProfile({ name, avatarUrl });
  checkProfile(profile.name, profile.avatarUrl, (message) => new ApiError('unauthorized', `invalid token; ${message}`));
  return { id: id.data, ...profile, exp: typeof payload.exp === 'number' ? payload.exp : undefined };
}

/**
 * Profile fields must fit the columns and the presence user_info (1 KB), and be text PostgreSQL and
 * JSON can carry: no control characters, no lone surrogates (see docs/security.md).
 */
export function checkProfile(name: unknown, avatarUrl: unknown, fail: (message: string) => Error): void {
  const problem =
    (typeof name === 'string' ? profileTextProblem('name', name, LIMITS.nameLength) : null) ??
    (typeof avatarUrl === 'string' ? profileTextProblem('avatarUrl', avatarUrl, LIMITS.avatarUrlLength) : null);
  if (problem) throw fail(problem);
}

/** Control characters and lone surrogates removed (`undefined` stays: "not stated"). */
export function cleanProfile(profile: { name?: string | null; avatarUrl?: string | null }): Pick<Identity, 'name' | 'avatarUrl'> {
  const clean = (value: string | null | undefined) => (typeof value === 'string' ? cleanProfileText(value) : value);
  return { name: clean(profile.name), avatarUrl: clean(profile.avatarUrl) };
}

function tokenErrorMessage(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'token expired';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'invalid token; only HS256 is accepted';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'invalid token; bad signature';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `invalid token; ${error.message}`;
  return 'invalid token; not a well-formed JWT';
}

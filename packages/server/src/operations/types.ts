import type { z } from 'zod';
import type { Authenticate } from '../auth/authenticate';
import type { Identity } from '../auth/tokens';
import type { Database } from '../db/create-database';
import type { FileStorage } from '../files/storage';
import type { Uploads } from '../files/uploads';
import type { Broadcaster } from '../realtime/broadcaster';
import type { RequestMeta, StoreContext } from '../store/context';
import type { EditPolicy } from '../store/edit-policy';
import type { SearchState } from '../search/wiring';
import type { ModerationHooks } from '../moderation/wiring';
import type { NotificationHooks } from '../notifications/wiring';
import type { MetadataSchemas } from './metadata';

/**
 * Who runs an operation. `user`: an end user signed in over HTTP (a token or the host's
 * `authenticate`). `host`: the host's backend acting for a user through `chat.api` (trusted: no
 * token, no rate limit). `system`: the host's backend acting as itself (system messages, user sync).
 * `public`: nobody in particular (health, config).
 */
export type Actor =
  | { kind: 'user'; id: string; identity: Identity }
  | { kind: 'host'; id: string }
  | { kind: 'system'; id: string }
  | { kind: 'public' };

export type ActorKind = Actor['kind'];

/** An actor that names a user (every kind but `public`). */
export type UserActor = Exclude<Actor, { kind: 'public' }>;

/** What the routes need of a Broadcaster: credentials to sign channels and what clients connect to. */
export type BroadcasterCredentials = Pick<Broadcaster, 'app' | 'clientConfig' | 'disconnectUser'>;

/** What every operation may use; built once by `createChatServer`. */
export interface ServerState {
  database: Database;
  store: StoreContext;
  /** Where uploaded files live (attachments). */
  storage: FileStorage;
  /** Uploads on that storage: announce, receive, check, sign, sweep (files/uploads.ts). */
  uploads: Uploads;
  secret: string;
  authenticate?: Authenticate;
  broadcaster?: BroadcasterCredentials;
  limits: { requestBytes: number; messageLength: number };
  /** What the host allows of a sent message (`createChatServer({ messages })`). */
  messages: { edit: EditPolicy };
  /** The host's schemas for message and conversation `metadata` (operations/metadata.ts). */
  metadata?: MetadataSchemas;
  syncUser(identity: Identity): Promise<void>;
  /** Resolves once migrations ran (or retries them after a failure). */
  ensureReady(): Promise<void>;
  /** Rejects when the broadcaster is unreachable or refuses the credentials (cached answer). */
  checkBroadcaster?: () => Promise<void>;
  /** The operations table this server runs (for `GET /openapi.json`). */
  operations?: Record<string, Operation>;
  /** Counted once per stored message, by the way it came in. */
  onMessageSent?: (via: 'http' | 'api') => void;
  /** Data ownership (ownership/): erasure, retention and export need these of the server. */
  ownership?: OwnershipHooks;
  /** Full-text search's configuration (search/wiring.ts); absent: `simple`. */
  search?: SearchState;
  /** Moderation (moderation/): the host's beforeSend and the ban check. */
  moderation?: ModerationHooks;
  /** Notifications (notifications/): the default delay, which push endpoints may be registered. */
  notifications?: NotificationHooks;
}

export interface OwnershipHooks {
  /** Remove queued files from storage now; rejects when the storage fails (the queue retries). */
  drainFileDeletions(): Promise<number>;
  /** Forget a user in the in-memory caches (token checks, profile sync). */
  forgetUser(userId: string): void;
  /** The app's message retention in days (null: keep forever unless a conversation sets its own). */
  retentionDays: number | null;
}

/** One run of an operation: the server's state and the facts of this call. */
export interface OperationContext {
  state: ServerState;
  meta: RequestMeta;
  /** How the call came in: `http` (the handler) or `api` (`chat.api`). */
  via: 'http' | 'api';
}

/**
 * Which rate limit an operation takes from (see `RateLimitOptions`): `send`, `create` and `write`
 * per user and per client IP; `anonymous` per client IP (operations open to the public).
 */
export type RateLimitClass = 'send' | 'create' | 'write' | 'anonymous';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Where an operation lives in the HTTP API. */
// The callbacks are methods of `unknown` output (bivariant): typing them by the operation's output
// would make TypeScript fix that output before it reads `run` (object members infer in order).
// Annotate the parameter instead: `status: (out: { created: boolean }) => ...`.
export interface HttpBinding {
  method: HttpMethod;
  /** Relative to the mount point; `:name` segments become input fields of that name. */
  path: string;
  /** Input field names of path parameters that differ from their segment name, e.g. `{ id: 'conversationId' }`. */
  params?: Record<string, string>;
  /**
   * Where the rest of the input comes from: a JSON body (`json`; `json?` allows an empty one),
   * the query string (`query`), a form or JSON body (`form`, pusher-js channel authorization), or
   * nothing but the path (`none`).
   */
  input: 'json' | 'json?' | 'query' | 'form' | 'none';
  /** The success status (default 200). */
  status?(output: unknown): number;
  /** The response body (default: the output itself). */
  body?(output: unknown): unknown;
  /**
   * The schema of the success body (after `body`), from `@banter/core/protocol` (responses.ts):
   * the OpenAPI document describes it, and the test kit checks every 2xx answer against it.
   */
  response?: z.ZodType;
  /** Error codes this route may answer with besides the ones every route has (for the OpenAPI). */
  errors?: readonly string[];
}

/**
 * One operation of the chat API, defined once: the HTTP route and `chat.api` both run it through
 * `invokeOperation`, so validation, permissions and limits cannot differ between the two.
 */
export interface Operation<I = unknown, O = unknown, In = unknown, HostIn = In> {
  /** camelCase, unique; the key in the operations table and in `chat.api.call`. */
  name: string;
  /** One line for the docs and the OpenAPI description. */
  summary: string;
  /** The input of `user` and `public` actors (what HTTP accepts): strict, from `@banter/core/protocol`. */
  input: z.ZodType<I, In>;
  /** A looser input for `host` and `system` actors, when the host may do more (e.g. any clientId). */
  hostInput?: z.ZodType<I, HostIn>;
  /** Who may run it; anyone else gets 403 `forbidden` (or 401 over HTTP without credentials). */
  actors: readonly ActorKind[];
  /** The rate limit of HTTP callers (per user and per client IP); none for the host's `chat.api` calls. */
  rateLimit?: RateLimitClass;
  /** `false`: runs without the database (no wait for migrations). */
  database?: false;
  /** Absent: `chat.api` only. */
  http?: HttpBinding;
  run(ctx: OperationContext, actor: Actor, input: I): Promise<O>;
}

/**
 * Define an operation (typed identity: the definition is the value).
 *
 * @example
 * ```ts
 * export const getMe = defineOperation({
 *   name: 'getMe',
 *   summary: 'The signed-in user',
 *   input: z.strictObject({}),
 *   actors: ['user'],
 *   http: { method: 'GET', path: '/me', input: 'none', response: meResponseSchema },
 *   async run(ctx, actor) {
 *     return { user: await getUser(ctx.state.database.kysely, userOf(actor).id) };
 *   },
 * });
 * ```
 */
export function defineOperation<I, O, In, HostIn = In>(operation: Operation<I, O, In, HostIn>): Operation<I, O, In, HostIn> {
  return operation;
}

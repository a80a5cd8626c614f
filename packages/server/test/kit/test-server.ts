import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { type ChatServer, type ChatServerOptions, createChatServer } from '../../src/chat-server';
import { createRouter, routesOf } from '../../src/http/router';
import { operations } from '../../src/operations/index';
import type { BroadcastEventRecord } from './recording-broadcaster';
import { createRecordingBroadcaster, type RecordingBroadcaster } from './recording-broadcaster';
import type { DatabaseTarget } from '../../src/testing/database-targets';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';

/** Test-only (not in the public build): a chat server on a fresh database, and a fetch-like caller. */
export interface TestServer {
  server: ChatServer;
  broadcaster: RecordingBroadcaster;
  /** A user id unique to this test file run. */
  userId(name: string): string;
  token(userId: string, options?: { name?: string; avatarUrl?: string; expiresIn?: string | number }): Promise<string>;
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** Rows in every table a request could write. */
  counts(): Promise<Record<'users' | 'conversations' | 'participants' | 'messages' | 'outbox', number>>;
}

export function useTestServer(target: DatabaseTarget, options: Partial<ChatServerOptions> = {}): () => TestServer {
  let testServer: TestServer | undefined;
  beforeAll(async () => {
    const database = await target.create();
    const broadcaster = createRecordingBroadcaster();
    const server = createChatServer({ database, secret: TEST_SECRET, broadcaster, onError: () => {}, ...options });
    await server.ready;
    const run = randomUUID().slice(0, 8);
    const base = `http://localhost${options.basePath ?? ''}`;
    testServer = {
      server,
      broadcaster,
      userId: (name) => `${name}-${run}`,
      token: (userId, tokenOptions = {}) => server.api.createUserToken(userId, { expiresIn: '1h', ...tokenOptions }),
      async call(method, path, callOptions = {}) {
        const headers: Record<string, string> = { ...callOptions.headers };
        if (callOptions.token) headers.authorization = `Bearer ${callOptions.token}`;
        let body: string | undefined = callOptions.rawBody;
        if (callOptions.body !== undefined) {
          body = JSON.stringify(callOptions.body);
          headers['content-type'] ??= 'application/json';
        }
        const response = await server.handler(new Request(base + path, { method, headers, body }));
        const text = await response.text();
        const parsed = text ? JSON.parse(text) : null;
        if (response.ok) assertDocumentedBody(method, path, parsed);
        return { status: response.status, body: parsed, headers: response.headers };
      },
      async counts() {
        const db = database.kysely;
        const count = async (table: 'users' | 'conversations' | 'participants' | 'messages' | 'outbox') =>
          Number(
            (
              await db
                .selectFrom(table)
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
        return {
          users: await count('users'),
          conversations: await count('conversations'),
          participants: await count('participants'),
          messages: await count('messages'),
          outbox: await count('outbox'),
        };
      },
    };
  }, 30_000);
  afterAll(async () => {
    await testServer?.server.close();
    await testServer?.server.db.close();
  });
  return () => {
    if (!testServer) throw new Error('test server not started yet');
    return testServer;
  };
}

const router = createRouter(routesOf(operations));

/**
 * Every success answer a test sees is held to its operation's `http.response` schema (what the
 * OpenAPI document describes), so the description cannot drift from what the server sends.
 */
function assertDocumentedBody(method: string, path: string, body: unknown): void {
  let operation: (typeof operations)[keyof typeof operations] | undefined;
  try {
    operation = router.resolve(method, path.split('?')[0]!).operation as typeof operation;
  } catch {
    return; // Not an operation's route (files, widget): nothing is documented for it here.
  }
  const schema = operation?.http?.response;
  if (!schema) return;
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new Error(
      `${method} ${path} answered a body its OpenAPI schema (${operation!.name}.http.response) refuses: ${result.error.message}`,
    );
  }
}

export type { BroadcastEventRecord };

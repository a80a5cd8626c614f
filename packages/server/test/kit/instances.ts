import { afterEach } from 'vitest';
import { type ChatServer, type ChatServerOptions, createChatServer } from '../../src/chat-server';
import { createDatabase, type Database } from '../../src/db/create-database';
import type { DatabaseTarget } from '../../src/testing/database-targets';
import { TEST_SECRET } from './test-server';

/**
 * Server instances on one test database, as separate processes would run them: on PostgreSQL each
 * with a pool of its own (PGlite is one process: they share it). Each test's instances, and their
 * pools, are closed after it.
 *
 * @example
 * const db = useTestDatabase(target);
 * const instance = useInstances(target, db);
 * const a = instance({ dispatch: false });
 */
export function useInstances(target: DatabaseTarget, db: () => Database): (options?: Partial<ChatServerOptions>) => ChatServer {
  const servers: ChatServer[] = [];
  const pools: Database[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
    for (const pool of pools.splice(0)) await pool.close();
  });
  return (options = {}) => {
    let database = db();
    if (target.name === 'postgres') {
      database = createDatabase({ url: process.env.TEST_DATABASE_URL, schema: db().schema });
      pools.push(database);
    }
    const server = createChatServer({ database, secret: TEST_SECRET, migrate: false, onError: () => {}, ...options });
    servers.push(server);
    return server;
  };
}

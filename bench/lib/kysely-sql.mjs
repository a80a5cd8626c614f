// kysely's `sql` tag from the server package's own copy (the bench installs nothing).
import { createRequire } from 'node:module';

const serverRequire = createRequire(new URL('../../packages/server/package.json', import.meta.url));
export const { sql } = await import(serverRequire.resolve('kysely'));

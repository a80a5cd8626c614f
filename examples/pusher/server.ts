/**
 * The Express example with realtime on Pusher Channels or Soketi (or Reverb, or a standalone
 * Banter relay) instead of the embedded relay. The app itself is examples/express/server.ts, which
 * already switches to `pusherBroadcaster` when PUSHER_* is set: this file only makes that setting
 * required and reads it from .env. See README.md.
 *
 *   cp .env.example .env   # fill in your app's credentials
 *   pnpm start             ->  http://localhost:3000/?as=alice  (and /?as=bob in another window)
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { broadcasterConfigFromEnv } from '@banter/server';

// Variables already in the environment win over the .env file.
const envFile = fileURLToPath(new URL('./.env', import.meta.url));
if (existsSync(envFile)) process.loadEnvFile(envFile);

// PUSHER_APP_ID, PUSHER_APP_KEY, PUSHER_APP_SECRET and either PUSHER_APP_CLUSTER (hosted Pusher) or
// PUSHER_HOST, PUSHER_PORT, PUSHER_SCHEME (Soketi, Reverb...). Browsers get the matching pusher-js
// settings from GET /chat/config.
try {
  if (!broadcasterConfigFromEnv()) {
    console.error('Set the PUSHER_* variables (see .env.example), or use examples/express for the embedded relay.');
    process.exit(1);
  }
} catch (error) {
  // An incomplete set: the message names what is missing.
  console.error((error as Error).message);
  process.exit(1);
}

// This example's data stays in its own folder.
process.env.BANTER_DATA_DIR ??= fileURLToPath(new URL('./.banter', import.meta.url));
await import(new URL('../express/server.ts', import.meta.url).href);

// Banter's whole API under /api/chat/*: one web-standard handler behind the App Router.
import { toNextJsHandler } from '@banter/server/next';
import { getChat } from '../../../../lib/banter';

export const runtime = 'nodejs'; // PGlite, pg and the relay need Node, not the Edge runtime
export const dynamic = 'force-dynamic';

export const { GET, POST, OPTIONS } = toNextJsHandler(async (request) => (await getChat()).handler(request));

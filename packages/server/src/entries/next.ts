import type { FetchHandler } from './node';

/**
 * `@banter/server/next`: route handlers for a Next.js App Router catch-all route.
 *
 * @example
 * ```ts
 * // app/api/chat/[...banter]/route.ts
 * import { createChatServer } from '@banter/server';
 * import { toNextJsHandler } from '@banter/server/next';
 *
 * const chat = createChatServer({ secret: process.env.BANTER_SECRET!, basePath: '/api/chat' });
 * export const { GET, POST, OPTIONS } = toNextJsHandler(chat.handler);
 * ```
 */
export function toNextJsHandler(handler: FetchHandler): {
  GET: (request: Request) => Promise<Response>;
  POST: (request: Request) => Promise<Response>;
  OPTIONS: (request: Request) => Promise<Response>;
} {
  // Next passes a second argument (route params); the chat handler routes on the URL alone.
  const route = (request: Request) => handler(request);
  return { GET: route, POST: route, OPTIONS: route };
}

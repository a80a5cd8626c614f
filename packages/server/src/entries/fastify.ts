import type { FastifyPluginCallback } from 'fastify';
import { type FetchHandler, toRequest } from './node';

/**
 * `@banter/server/fastify`: a Fastify 5 plugin serving the chat handler under the plugin's
 * `prefix` (set the chat server's `basePath` to the same path). Banter reads and limits request
 * bodies itself, so the plugin turns off Fastify's body parsing inside its own scope only.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { createChatServer } from '@banter/server';
 * import { fastifyBanter } from '@banter/server/fastify';
 *
 * const chat = createChatServer({ secret: process.env.BANTER_SECRET!, basePath: '/api/chat' });
 * const app = Fastify();
 * await app.register(fastifyBanter, { handler: chat.handler, prefix: '/api/chat' });
 * await app.listen({ port: 3000 });
 * ```
 */
export const fastifyBanter: FastifyPluginCallback<{ handler: FetchHandler }> = (fastify, options, done) => {
  fastify.removeAllContentTypeParsers();
  // Hand the raw stream through untouched: the handler enforces its own size limit while reading.
  fastify.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null, undefined));

  const route = async (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
    const response = await options.handler(toRequest(request.raw, reply.raw));
    reply.code(response.status);
    for (const [name, value] of response.headers) {
      if (name !== 'set-cookie') reply.header(name, value);
    }
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) reply.header('set-cookie', cookies);
    return reply.send(response.body ? Buffer.from(await response.arrayBuffer()) : null);
  };
  fastify.all('/', route);
  fastify.all('/*', route);
  done();
};

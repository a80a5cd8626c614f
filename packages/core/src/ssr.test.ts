// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { recordBrowserGlobals } from '../test/browser-globals';

// Server rendering imports the client in Node (Next.js App Router, renderToString): importing it,
// and making a client there, must neither crash nor read window/document.
describe('@banter/core on a server (no DOM)', () => {
  it('imports without touching a browser global, and runs a client there', async () => {
    expect(typeof document).toBe('undefined');
    const recorder = recordBrowserGlobals();
    try {
      const core = await import('@banter/core');
      expect(recorder.reads, 'reads while importing').toEqual([]);
      // A client made on a server only feature-checks (`globalThis.document?.…`) and never crashes.
      const calls: string[] = [];
      const client = core.createChatClient({
        url: 'http://127.0.0.1:9/api',
        token: 'not-a-real-token',
        realtime: false,
        fetch: async (input) => {
          calls.push(String(input));
          return Response.json({ user: { id: 'ssr', name: 'SSR', avatarUrl: null } });
        },
      });
      await client.ready;
      expect(client.me?.id).toBe('ssr');
      expect(core.selectConversationList(client.store.getSnapshot())).toEqual([]);
      client.close();
      expect(calls).toEqual(['http://127.0.0.1:9/api/me']);
    } finally {
      recorder.restore();
    }
  });
});

import { waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { shadowOf } from '../test/dom';
import { FakeApi } from '../test/fake-api';
import type { MountOptions } from './options';

afterEach(() => {
  delete (globalThis as { Banter?: unknown }).Banter;
  vi.unstubAllGlobals();
  vi.doUnmock('./mount');
  vi.resetModules();
  document.body.innerHTML = '';
});

describe('script-tag entry', () => {
  it('mounts itself from its data- attributes into data-target and exposes mount', async () => {
    const api = new FakeApi('me');
    api.addUser('me', 'Me');
    api.addUser('ann', 'Ann Lee');
    const id = api.addConversation(['me', 'ann']);
    api.post(id, 'ann', 'Welcome!');
    // The client's HTTP layer reads the global fetch when it sends, as on a real page.
    vi.stubGlobal('fetch', api.fetch);
    document.body.innerHTML = '<main><div id="chat"></div></main>';
    const script = document.createElement('script');
    script.type = 'text/plain';
    script.setAttribute('src', '/widget.js');
    Object.assign(script.dataset, { url: 'http://chat.test/api', token: 't', target: '#chat', conversationWith: 'ann' });
    document.body.append(script);

    const embed = await import('./embed');
    const widget = await embed.ready;
    expect(widget).not.toBeNull();
    const s = shadowOf(document.getElementById('chat')!);
    await s.findByText('Welcome!');
    expect(typeof embed.mount).toBe('function');
    expect((globalThis as { Banter?: unknown }).Banter).toEqual({
      mount: embed.mount,
      parseDataAttributes: embed.parseDataAttributes,
      ready: embed.ready,
      // The bundled pusher-js, for the page's own channels (docs/widget.md#banterpusher).
      Pusher: expect.any(Function),
    });
    expect(typeof (globalThis as { Banter?: { Pusher: { prototype: { subscribe?: unknown } } } }).Banter!.Pusher.prototype.subscribe).toBe(
      'function',
    );
    expect(api.requests[0]).toBe('GET /me');
    widget!.unmount();
    await waitFor(() => expect(document.getElementById('chat')!.childNodes).toHaveLength(0));
  });

  // The script-tag build leaves out the core's lazy import('pusher-js') (no-lazy-pusher.ts): every
  // client it creates must get the bundled class.
  it('hands its bundled pusher-js to every client it creates, also with realtime options', async () => {
    const seen: MountOptions[] = [];
    vi.doMock('./mount', () => ({
      mount: (_element: Element, options: MountOptions) => {
        seen.push(options);
        return { unmount() {}, client: options.client };
      },
    }));
    const { default: Pusher } = await import('pusher-js');
    const embed = await import('./embed');
    const element = document.createElement('div');
    const Own = class {};
    const client = { own: true } as unknown as NonNullable<MountOptions['client']>;

    embed.mount(element, { url: '/api', token: 't' });
    embed.mount(element, { url: '/api', token: 't', realtime: { config: { key: 'k', wsHost: 'ws.test' } } });
    embed.mount(element, { url: '/api', token: 't', realtime: { Pusher: Own } });
    embed.mount(element, { url: '/api', token: 't', realtime: false });
    embed.mount(element, { client });

    expect(seen.map((options) => options.realtime)).toEqual([
      { Pusher },
      { config: { key: 'k', wsHost: 'ws.test' }, Pusher },
      { Pusher: Own },
      false,
      undefined,
    ]);
    expect(seen[4]!.client).toBe(client);
  });
});

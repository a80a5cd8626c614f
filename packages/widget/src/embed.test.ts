import { waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { shadowOf } from '../test/dom';
import { FakeApi } from '../test/fake-api';

afterEach(() => {
  delete (globalThis as { Banter?: unknown }).Banter;
  vi.unstubAllGlobals();
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
    expect((globalThis as { Banter?: unknown }).Banter).toEqual({ mount: embed.mount, parseDataAttributes: embed.parseDataAttributes, ready: embed.ready });
    expect(api.requests[0]).toBe('GET /me');
    widget!.unmount();
    await waitFor(() => expect(document.getElementById('chat')!.childNodes).toHaveLength(0));
  });
});

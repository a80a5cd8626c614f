import { afterEach, describe, expect, it, vi } from 'vitest';
import { autoMount, findOwnScript } from './auto-mount';
import { parseDataAttributes } from './data-attributes';

afterEach(() => {
  document.body.innerHTML = '';
  document.head.innerHTML = '';
  vi.unstubAllGlobals();
});

function script(attrs: Record<string, string>): HTMLScriptElement {
  const el = document.createElement('script');
  el.type = 'text/plain'; // never executed by happy-dom
  el.setAttribute('src', 'https://cdn.example/banter/widget.js');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  return el;
}

describe('parseDataAttributes', () => {
  it('reads every option from its kebab-case data- twin', () => {
    const el = script({
      'data-url': 'https://example.com/api',
      'data-token': 'tok',
      'data-mode': 'inbox',
      'data-conversation-with': 'support-bot',
      'data-locale': 'de',
      'data-theme': 'dark',
      'data-theme-accent': '#0f766e',
      'data-theme-accent-text': '#fff',
      'data-theme-radius': '8px',
      'data-theme-font': 'Inter, sans-serif',
      'data-open': '',
      'data-target': '#chat',
    });
    expect(parseDataAttributes(el)).toEqual({
      target: '#chat',
      options: {
        url: 'https://example.com/api',
        token: 'tok',
        mode: 'inbox',
        conversationWith: 'support-bot',
        locale: 'de',
        open: true,
        theme: { scheme: 'dark', accent: '#0f766e', accentText: '#fff', radius: '8px', font: 'Inter, sans-serif' },
      },
    });
  });

  it('needs data-url, ignores unknown modes and defaults to inline when a target is given', () => {
    expect(parseDataAttributes(script({ 'data-token': 'x' }))).toBeNull();
    expect(parseDataAttributes(script({ 'data-url': '/api', 'data-mode': 'fullscreen' }))!.options.mode).toBeUndefined();
    expect(parseDataAttributes(script({ 'data-url': '/api', 'data-target': '#c' }))!.options.mode).toBe('inline');
    expect(parseDataAttributes(script({ 'data-url': '/api', 'data-open': 'false' }))!.options.open).toBe(false);
    expect(parseDataAttributes(script({ 'data-url': '/api', 'data-unread-in-title': '' }))!.options.unreadInTitle).toBe(true);
  });

  it('data-notifications turns the notifications switch on, ="sound" with the beep, ="false" not at all', () => {
    const notifications = (value: string) =>
      parseDataAttributes(script({ 'data-url': '/api', 'data-notifications': value }))!.options.notifications;
    expect([notifications(''), notifications('sound'), notifications('false')]).toEqual([{ sound: false }, { sound: true }, undefined]);
  });

  it('data-get-token calls a global function by its dotted name (no eval)', async () => {
    vi.stubGlobal('myApp', { auth: { banterToken: async () => 'from-function' } });
    const { options } = parseDataAttributes(script({ 'data-url': '/api', 'data-get-token': 'myApp.auth.banterToken' }))!;
    await expect(options.getToken!()).resolves.toBe('from-function');
    const missing = parseDataAttributes(script({ 'data-url': '/api', 'data-get-token': 'nope.fn' }))!;
    await expect(missing.options.getToken!()).rejects.toThrow(/window.nope.fn is not a function/);
  });

  it('data-token-url fetches a token (JSON or plain text) with the page’s cookies', async () => {
    const fetch = vi.fn(async (url: string, _init?: RequestInit) =>
      url.endsWith('/json') ? new Response('{"token":"t-json"}') : new Response('t-text\n'),
    );
    vi.stubGlobal('fetch', fetch);
    const json = parseDataAttributes(script({ 'data-url': '/api', 'data-token-url': '/banter/json' }))!;
    await expect(json.options.getToken!()).resolves.toBe('t-json');
    expect(fetch.mock.calls[0]![1]).toMatchObject({ credentials: 'include' });
    const text = parseDataAttributes(script({ 'data-url': '/api', 'data-token-url': '/banter/text' }))!;
    await expect(text.options.getToken!()).resolves.toBe('t-text');
  });
});

describe('autoMount', () => {
  it('finds its own script tag and mounts into data-target', async () => {
    document.body.innerHTML = '<div id="chat"></div>';
    script({ 'data-url': '/api', 'data-token': 'tok', 'data-target': '#chat' });
    const own = findOwnScript();
    expect(own?.dataset.url).toBe('/api');
    const mount = vi.fn(() => ({ unmount() {}, client: {} as never }));
    await autoMount(own, mount);
    expect(mount).toHaveBeenCalledWith(document.getElementById('chat'), { url: '/api', token: 'tok', mode: 'inline' });
  });

  it('mounts into body without a target, and logs instead of throwing when the target is missing', async () => {
    const mount = vi.fn(() => ({ unmount() {}, client: {} as never }));
    await autoMount(script({ 'data-url': '/api' }), mount);
    expect(mount).toHaveBeenCalledWith(document.body, { url: '/api' });

    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    mount.mockClear();
    await expect(autoMount(script({ 'data-url': '/api', 'data-target': '#missing' }), mount)).resolves.toBeNull();
    expect(mount).not.toHaveBeenCalled();
    expect(String(error.mock.calls[0])).toMatch(/no element matches data-target="#missing"/);
    error.mockRestore();
  });

  it('does nothing without a script or without data-url', async () => {
    const mount = vi.fn();
    await expect(autoMount(null, mount)).resolves.toBeNull();
    await expect(autoMount(script({}), mount)).resolves.toBeNull();
    expect(findOwnScript()).toBeNull();
    expect(mount).not.toHaveBeenCalled();
  });
});

import type { ColorScheme, MountOptions, WidgetMode, WidgetTheme } from './options';

export interface EmbedConfig {
  options: MountOptions;
  /** CSS selector of the element to fill (`data-target`); none: a new element at the end of body. */
  target: string | null;
}

const MODES: WidgetMode[] = ['popup', 'inline', 'inbox'];
const SCHEMES: ColorScheme[] = ['light', 'dark', 'auto'];

/**
 * Reads mount options from a script tag's `data-` attributes: each option's kebab-case twin
 * (`data-url`, `data-token`, `data-mode`, `data-conversation-with`, `data-locale`, `data-theme`,
 * `data-theme-accent`, `data-theme-radius`, `data-theme-font`, `data-open`, `data-unread-in-title`,
 * `data-notifications`: on, or `="sound"` with a beep),
 * plus `data-target`, `data-token-url` (GET it for a token; cookies sent) and `data-get-token` (the
 * dotted name of a global function returning a token). Returns null without `data-url`.
 *
 * @example
 * // <script src="/widget.js" data-url="/api" data-token="eyJ..." data-mode="inbox" data-target="#chat">
 * parseDataAttributes(script); // { options: { url: '/api', token: 'eyJ...', mode: 'inbox' }, target: '#chat' }
 */
export function parseDataAttributes(el: HTMLElement, win: Window = window): EmbedConfig | null {
  const d = el.dataset;
  if (!d.url) return null;
  const options: MountOptions = { url: d.url };
  if (d.token) options.token = d.token;
  else if (d.tokenUrl) options.getToken = tokenFromUrl(new URL(d.tokenUrl, win.location.href).href, win);
  else if (d.getToken) options.getToken = tokenFromGlobal(d.getToken, win);
  const mode = d.mode as WidgetMode | undefined;
  if (mode && MODES.includes(mode)) options.mode = mode;
  else if (d.target) options.mode = 'inline';
  if (d.conversationWith) options.conversationWith = d.conversationWith;
  if (d.locale) options.locale = d.locale;
  if (d.open !== undefined) options.open = d.open !== 'false';
  if (d.unreadInTitle !== undefined) options.unreadInTitle = d.unreadInTitle !== 'false';
  // `data-notifications` (or `="sound"`: with a beep).
  if (d.notifications !== undefined && d.notifications !== 'false') options.notifications = { sound: d.notifications === 'sound' };
  const theme: WidgetTheme = {};
  if (d.theme && SCHEMES.includes(d.theme as ColorScheme)) theme.scheme = d.theme as ColorScheme;
  if (d.themeAccent) theme.accent = d.themeAccent;
  if (d.themeAccentText) theme.accentText = d.themeAccentText;
  if (d.themeRadius) theme.radius = d.themeRadius;
  if (d.themeFont) theme.font = d.themeFont;
  if (Object.keys(theme).length) options.theme = theme;
  return { options, target: d.target ?? null };
}

function tokenFromUrl(url: string, win: Window): () => Promise<string> {
  return async () => {
    const res = await win.fetch(url, { credentials: 'include', headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`unable to get a Banter token; ${url} answered ${res.status}`);
    const text = await res.text();
    // Either a bare token or JSON `{ "token": "..." }`.
    try {
      const json = JSON.parse(text) as { token?: unknown };
      if (typeof json.token === 'string') return json.token;
    } catch {
      // not JSON: the body is the token
    }
    return text.trim();
  };
}

function tokenFromGlobal(path: string, win: Window): () => Promise<string> {
  return async () => {
    // A property walk, never eval: strict CSP pages must work.
    let value: unknown = win;
    for (const key of path.split('.')) value = value == null ? undefined : (value as Record<string, unknown>)[key];
    if (typeof value !== 'function') throw new Error(`unable to get a Banter token; window.${path} is not a function`);
    return String(await (value as () => unknown)());
  };
}

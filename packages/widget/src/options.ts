import type { ChatClient, CreateChatClientOptions } from '@banter/core';
import type { Strings } from './i18n';

export type WidgetMode = 'popup' | 'inline' | 'inbox';
export type ColorScheme = 'light' | 'dark' | 'auto';

export interface WidgetTheme {
  /** Light, dark, or following `prefers-color-scheme` ("auto", the default). */
  scheme?: ColorScheme;
  /** Accent colour: buttons, own messages, badges. Any CSS colour. */
  accent?: string;
  /** Text colour on the accent (default white). */
  accentText?: string;
  /** Corner radius of bubbles and panels, e.g. "12px". */
  radius?: string;
  /** Font family, e.g. "Inter, system-ui, sans-serif". */
  font?: string;
}

/** `notifications: { ... }`: browser notifications, opted in by the user (docs/widget.md#notifications). */
export interface WidgetNotificationOptions {
  /**
   * The service worker for Web Push, on the page's origin: `@banter/widget/dist/banter-sw.js` served
   * there (the standalone server serves it at `/banter-sw.js`, the default). false: no Web Push, only
   * notifications while the page is open but hidden.
   */
  serviceWorker?: string | false;
  /** A short beep when a message arrives while the page is hidden (default false). */
  sound?: boolean;
}

interface CommonOptions {
  /** popup (floating launcher, default), inline (fills the element) or inbox (list and conversation). */
  mode?: WidgetMode;
  /** Open the direct conversation with this user id at once. */
  conversationWith?: string;
  /** "light", "dark", "auto", or a theme object. */
  theme?: ColorScheme | WidgetTheme;
  /** "en", "de", "fr" (or a tag such as "de-AT"); defaults to the page's lang, then the browser's. */
  locale?: string;
  /** Replace any of the widget's strings. */
  strings?: Partial<Strings>;
  /** Popup mode: start opened. */
  open?: boolean;
  /** Prefix the page's title with the unread total, "(3) My app", while there is any. */
  unreadInTitle?: boolean;
  /**
   * A notifications switch in the conversation list's header: the user turns on browser
   * notifications (a new message while the page is hidden) and Web Push (while it is closed).
   * Loaded as a lazy chunk only with this option.
   */
  notifications?: boolean | WidgetNotificationOptions;
}

export interface ConnectOptions extends CommonOptions {
  /** The API base URL, where the Banter handler is mounted, e.g. "https://example.com/api". */
  url: string;
  /** A user token minted by `createUserToken` on your backend. */
  token?: string;
  /** Called for a token at start (when `token` is not given) and again after a 401. */
  getToken?: () => Promise<string>;
  /** Passed to createChatClient: e.g. `{ Pusher }` to supply pusher-js yourself. */
  realtime?: CreateChatClientOptions['realtime'];
  /** Passed to createChatClient: a fetch to use instead of the global one. */
  fetch?: typeof fetch;
  client?: undefined;
}

export interface ClientOptions extends CommonOptions {
  /** An existing ChatClient; the widget then neither creates nor closes one. */
  client: ChatClient;
  url?: undefined;
  token?: undefined;
  getToken?: undefined;
  realtime?: undefined;
  fetch?: undefined;
}

export type MountOptions = ConnectOptions | ClientOptions;

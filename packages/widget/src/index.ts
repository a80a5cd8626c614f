export { mount, type MountedWidget } from './mount';
export type { MountOptions, ConnectOptions, ClientOptions, WidgetMode, WidgetTheme, ColorScheme } from './options';
export { parseDataAttributes, type EmbedConfig } from './data-attributes';
export { createTranslator, dictionaries, en, de, fr, type Strings, type Translator } from './i18n';

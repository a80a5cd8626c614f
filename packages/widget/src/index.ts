export { mount, type MountedWidget } from './mount';
export type { MountOptions, ConnectOptions, ClientOptions, WidgetMode, WidgetTheme, ColorScheme } from './options';
export { createTranslator, loadStrings, en, type Strings, type Translator } from './i18n';

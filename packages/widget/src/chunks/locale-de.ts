// Lazy chunk: the German strings (i18n.ts loads them when the locale is German).
export { de } from '../locales/de';

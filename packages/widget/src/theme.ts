import type { ColorScheme, WidgetTheme } from './options';

/** Normalises the `theme` option: a scheme name or a theme object. */
export function resolveTheme(theme: ColorScheme | WidgetTheme | undefined): WidgetTheme & { scheme: ColorScheme } {
  if (typeof theme === 'string') return { scheme: theme };
  return { ...theme, scheme: theme?.scheme ?? 'auto' };
}

/**
 * Sets the theme's public custom properties on the host element. `style.setProperty` is CSSOM, which
 * a strict CSP allows (unlike `style=""` attributes in markup). Page CSS may set the same
 * properties (`--banter-accent`, `--banter-accent-text`, `--banter-radius`, `--banter-font`) instead.
 *
 * @example
 * applyTheme(host, { accent: '#0f766e', radius: '8px' });
 */
export function applyTheme(host: HTMLElement, theme: WidgetTheme): void {
  const set = (name: string, value: string | undefined) => value && host.style.setProperty(`--banter-${name}`, value);
  set('accent', theme.accent);
  set('accent-text', theme.accentText);
  set('radius', theme.radius);
  set('font', theme.font);
}

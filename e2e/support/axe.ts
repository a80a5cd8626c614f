import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One axe violation, short enough to read in a failed assertion. */
export interface AxeFinding {
  id: string;
  impact: string | null;
  nodes: string[];
}

/**
 * Runs axe-core (every rule, every impact level) over the widgets on the page, inside their shadow
 * roots. The page's context must bypass CSP (`newContext({ bypassCSP: true })`): axe is injected
 * as a script, which a strict page policy would refuse.
 *
 * @example
 * expect(await axeWidgets(page)).toEqual([]);
 */
export async function axeWidgets(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<any> } }).axe;
    const hosts = [...document.querySelectorAll('[data-banter-widget]')];
    if (!hosts.length) throw new Error('axeWidgets: no widget on the page');
    const result = await axe.run({ include: hosts }, { resultTypes: ['violations'] });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n: any) => `${JSON.stringify(n.target)} ${n.failureSummary?.split('\n')[1] ?? ''}`.trim()),
    }));
  });
}

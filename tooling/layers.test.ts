import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runTool } from './run-tool';
import { topLevelBrowserGlobals } from './top-level-globals';

interface Violation {
  type: string;
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: { name: string }[];
}

const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs') as { options: { knownViolations: Violation[] } };
const show = (v: Violation) => `${v.rule.name}: ${v.from} -> ${v.cycle ? v.cycle.map((step) => step.name).join(' -> ') : v.to}`;

describe('layer rules (.dependency-cruiser.cjs)', () => {
  const run = runTool('depcruise', [
    '--config',
    '.dependency-cruiser.cjs',
    '--output-type',
    'json',
    'packages',
    'e2e',
    'bench',
    'tooling',
    'examples',
  ]);
  const result = JSON.parse(run.output.slice(run.output.indexOf('{'))) as { summary: { violations: Violation[] } };
  const violations = result.summary.violations;

  it('finds no cycle and no import against the dependency direction', () => {
    const errors = violations.filter((v) => v.rule.severity !== 'ignore');
    expect(errors.map(show), 'fix the import, or (only for a violation main has today) list it in knownViolations').toEqual([]);
  });

  it('lists no known violation that main has fixed (the allowed list only shrinks)', () => {
    const seen = new Set(violations.filter((v) => v.rule.severity === 'ignore').map(show));
    const stale = config.options.knownViolations.filter((known) => !seen.has(show(known)));
    expect(stale.map(show), 'remove these entries from knownViolations in .dependency-cruiser.cjs').toEqual([]);
  });
});

describe('no browser globals at import time (SSR, Node and workers import these)', () => {
  // Every UI-facing package (packages/react joins when it lands).
  const dirs = ['packages/core/src', 'packages/widget/src', 'packages/react/src'].filter((dir) => existsSync(join(root, dir)));
  it.each(dirs)('%s', (dir) => {
    expect(topLevelBrowserGlobals(dir, root)).toEqual([]);
  });

  it('the check sees a top-level read and lets guarded or deferred ones pass', () => {
    const dir = mkdtempSync(join(tmpdir(), 'banter-globals-'));
    try {
      writeFileSync(
        join(dir, 'sample.ts'),
        [
          'export const width = window.innerWidth;',
          'export const doc = globalThis.document;',
          "export const hasDom = typeof document !== 'undefined';",
          'export function later() { return navigator.onLine; }',
          'export const lazy = () => location.href;',
        ].join('\n'),
      );
      expect(topLevelBrowserGlobals(dir, dir).map(({ line, name }) => `${line}:${name}`)).toEqual(['1:window', '2:document']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { expect, it } from 'vitest';
import { runTool } from './run-tool';

// CI runs only `pnpm test`, so the linter runs here; a finding fails with Biome's report.
it('biome lint finds nothing (biome.jsonc)', () => {
  const { status, output } = runTool('biome', ['lint', '--error-on-warnings', '--max-diagnostics=50', '.']);
  expect(status, output).toBe(0);
});

// `biome format --check .` joins this file once the tree has been formatted in one go (`pnpm format`).

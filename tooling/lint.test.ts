import { expect, it } from 'vitest';
import { runTool } from './run-tool';

// CI runs only `pnpm test`, so the linter runs here; a finding fails with Biome's report.
it('biome lint finds nothing (biome.jsonc)', () => {
  const { status, output } = runTool('biome', ['lint', '--error-on-warnings', '--max-diagnostics=50', '.']);
  expect(status, output).toBe(0);
});

// The formatter is the house layout for code and JSON (biome.jsonc); `pnpm format` applies it.
it('biome format finds nothing to change (run `pnpm format`)', () => {
  const { status, output } = runTool('biome', ['format', '--max-diagnostics=20', '.']);
  expect(status, output).toBe(0);
});

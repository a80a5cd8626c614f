import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2020',
  // The app's React and Banter client, never a bundled copy (two Reacts break hooks).
  external: ['react', '@banter/core'],
});

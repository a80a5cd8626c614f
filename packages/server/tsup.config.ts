import { cp } from 'node:fs/promises';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    relay: 'src/entries/relay.ts',
    node: 'src/entries/node.ts',
    fastify: 'src/entries/fastify.ts',
    next: 'src/entries/next.ts',
    testing: 'src/entries/testing.ts',
    cli: 'src/cli.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  // Never bundled: a bundled PGlite loses its data files; pg, PGlite and the widget are the host's to
  // install (the last two are optional peers, loaded only by what uses them).
  external: ['pg', '@electric-sql/pglite', '@banter/widget'],
  // The demo page of `banter serve --dev` (static files next to the bundle: dist/demo/).
  onSuccess: async () => {
    await cp('src/standalone/demo', 'dist/demo', { recursive: true });
  },
});

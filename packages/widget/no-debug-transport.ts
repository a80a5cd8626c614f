import type { Plugin } from 'esbuild';

/*
 * The script-tag build has one createChatClient call, mount()'s, and it never passes `debug` (the
 * widget has no such option), so @banter/core's lazily imported debug transport can never load;
 * but an IIFE inlines every dynamic import. This replaces the module with a pass-through of the same
 * shape: 0.13 kB (gzip) less in dist/widget.js. ESM users keep it as a lazy chunk.
 */
export const noDebugTransport: Plugin = {
  name: 'no-debug-transport',
  setup(build) {
    build.onResolve({ filter: /\/debug-transport(-\w+\.js)?$/ }, (args) =>
      /core[/\\]/.test(args.importer) ? { path: 'debug-transport', namespace: 'no-debug-transport' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-debug-transport' }, () => ({
      contents: 'export const withSubscriptionLog = (transport) => transport;',
      loader: 'js',
    }));
  },
};

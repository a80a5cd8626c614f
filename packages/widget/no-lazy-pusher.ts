import type { Plugin } from 'esbuild';

/*
 * In the script-tag build, embed.ts hands its bundled pusher-js to every client it creates, so
 * @banter/core's lazy `import('pusher-js')` (for clients without `realtime.Pusher`) never runs. But
 * an IIFE inlines dynamic imports, and esbuild wraps everything one reaches (all of pusher-js) in
 * lazy-init closures: 0.5 kB (gzip). This resolves that import to a module that fails clearly
 * instead; the static import in embed.ts still gets pusher-js. ESM users keep the lazy import.
 */
export const noLazyPusher: Plugin = {
  name: 'no-lazy-pusher',
  setup(build) {
    build.onResolve({ filter: /^pusher-js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: 'pusher-js', namespace: 'no-lazy-pusher' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-lazy-pusher' }, () => ({
      contents: "throw new Error('[banter] the script-tag build passes its pusher-js as realtime.Pusher');",
      loader: 'js',
    }));
  },
};

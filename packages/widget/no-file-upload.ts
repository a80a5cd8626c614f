import type { Plugin } from 'esbuild';

/*
 * The script-tag widget has no attach control yet, so its client never uploads a file; but an
 * IIFE inlines @banter/core's lazily imported upload code (1.3 kB gzip), which pushed dist/widget.js
 * over its 45 kB ceiling. This resolves that import to a module that fails clearly, as
 * no-lazy-pusher.ts does for pusher-js. ESM users keep the lazy chunk. When the widget gains its
 * attach UI, the upload code becomes a lazy chunk of the script tag (lazy-chunks.ts) instead.
 */
export const noFileUpload: Plugin = {
  name: 'no-file-upload',
  setup(build) {
    build.onResolve({ filter: /\/file-upload(-\w+\.js)?$/ }, (args) =>
      /core[/\\]/.test(args.importer) && args.kind === 'dynamic-import' ? { path: 'file-upload', namespace: 'no-file-upload' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-file-upload' }, () => ({
      contents:
        "export const uploadFiles = () => Promise.reject(new Error('[banter] the script-tag widget sends no files yet; use the npm build (@banter/widget or @banter/core) to send files'));",
      loader: 'js',
    }));
  },
};

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

/*
 * @banter/core uploads files with code it imports lazily (features/file-upload.ts). An IIFE cannot
 * split, and inlining that code (1.3 kB gzip) pushed dist/widget.js over its 45 kB ceiling. So the
 * script tag loads it as a lazy chunk, dist/widget.file-upload.js (src/chunks/file-upload.ts), on
 * the first file sent:
 * - the main build resolves core's `import('./file-upload')` to a module that loads that chunk and
 *   hands it the core modules it needs from widget.js (one BanterError class across both, so
 *   `instanceof` and the send queue's retry rules hold);
 * - the chunk build (lazy-chunks.ts) resolves the upload code's imports of those modules to
 *   `Banter._lazy.modules.core`.
 * Both script-tag builds take @banter/core from its sources (coreSources), so the modules named here
 * are the very ones widget.js bundles. ESM users keep core's own lazy chunk.
 */
export const coreSrc = fileURLToPath(new URL('../core/src/', import.meta.url));
const loadChunkFile = fileURLToPath(new URL('./src/lazy/load-chunk.ts', import.meta.url));

/**
 * What core's chunks take from widget.js: core module (under core/src) -> the names they import
 * (createHttp: core's notifications calls in the notifications chunk reference it).
 */
export const CORE_SHARED: Record<string, string[]> = {
  errors: ['BanterError', 'isTransient'],
  http: ['httpError', 'callOf', 'createHttp'],
  reducer: ['updateConversation', 'dropConversation'],
};

/** `@banter/core` from its sources, as the size test measures it. */
export const coreSources: Plugin = {
  name: 'core-sources',
  setup(build) {
    build.onResolve({ filter: /^@banter\/core$/ }, () => ({ path: join(coreSrc, 'index.ts') }));
  },
};

/**
 * Main script-tag build: core's `import('./file-upload')` becomes a load of the `file-upload` chunk
 * (see above). A static import of a module that loads it, not a resolved dynamic import: esbuild
 * would wrap every module a dynamic import reaches (core's errors, HTTP, reducer) in lazy-init
 * closures, 0.1 kB more.
 */
export const lazyFileUpload: Plugin = {
  name: 'lazy-file-upload',
  setup(build) {
    const files = join(coreSrc, 'features', 'files.ts');
    build.onLoad({ filter: /[/\\]features[/\\]files\.ts$/ }, (args) => {
      if (args.path !== files) return undefined;
      const source = readFileSync(files, 'utf8');
      const lazy = "import('./file-upload')";
      if (!source.includes(lazy)) return { errors: [{ text: `${files} no longer has ${lazy}: update lazy-file-upload.ts` }] };
      const contents = `import { loadFileUpload as __loadFileUpload } from 'banter:file-upload';\n${source.replace(lazy, '__loadFileUpload()')}`;
      return { contents, loader: 'ts', resolveDir: dirname(files) };
    });
    build.onResolve({ filter: /^banter:file-upload$/ }, () => ({ path: 'file-upload', namespace: 'lazy-file-upload' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-file-upload' }, () => {
      const entries = Object.entries(CORE_SHARED);
      const imports = entries.map(([file, names]) => `import { ${names.join(', ')} } from ${JSON.stringify(join(coreSrc, `${file}.ts`))};`);
      return {
        contents: `import { loadChunk } from ${JSON.stringify(loadChunkFile)};
${imports.join('\n')}
const share = { core: { ${entries.flatMap(([, names]) => names).join(', ')} } };
export const loadFileUpload = () => loadChunk('file-upload', share);
// Core's other lazy modules shipped as chunks (lazy-chunks.ts, coreChunks) load through this global.
globalThis.__banterCoreChunk = (name) => loadChunk(name, share);`,
        loader: 'js',
        resolveDir: coreSrc,
      };
    });
  },
};

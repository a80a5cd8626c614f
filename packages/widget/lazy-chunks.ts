import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { CORE_SHARED, coreSrc } from './lazy-file-upload';
import { SHARED } from './src/lazy/shared-names';

/*
 * Lazy chunks for the script tag (docs/widget.md#size). An IIFE cannot split, so:
 * - the main build (dist/widget.js) turns each `import('./chunks/<name>')` in the widget's sources
 *   into `loadChunk('<name>')` (src/lazy/load-chunk.ts), which adds `<script src="widget.<name>.js">`
 *   next to widget.js and resolves once that script hands over its exports;
 * - each chunk (dist/widget.<name>.js) is its own small IIFE that takes preact, preact/hooks, the
 *   JSX runtime and the widget context from the main bundle through `Banter._lazy.modules`, so there
 *   is one preact (hooks and context work across the two) and the chunk holds only its own code.
 * The ESM build needs none of this: there the same `import()` is a real dynamic import (a chunk
 * the app's bundler splits).
 */
const srcDir = fileURLToPath(new URL('./src/', import.meta.url));
const chunksDir = join(srcDir, 'chunks');

/** Every chunk: src/chunks/<name>.tsx (tests aside), by name. */
export const chunkFiles: Record<string, string> = Object.fromEntries(
  readdirSync(chunksDir)
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
    .map((file) => [file.replace(/\.tsx?$/, ''), join(chunksDir, file)]),
);

/** tsup entries of the chunk build: `widget.<name>` -> its source. */
export const chunkEntries = Object.fromEntries(Object.entries(chunkFiles).map(([name, file]) => [`widget.${name}`, file]));

/**
 * Widget chunks that run @banter/core code: widget.js loads them through lazy-file-upload.ts's
 * loader, which hands them the core modules they share with widget.js (`Banter._lazy.modules.core`).
 */
const WITH_CORE = new Set(['notifications']);

/**
 * A chunk file that imports a value from @banter/core (FORBIDDEN below otherwise) -> the one core
 * source file that has it; its imports of core's http and errors come from widget.js (SHARED_LOCAL).
 */
const CORE_IN_CHUNK: Record<string, string> = {
  [join(srcDir, 'notify', 'opt-in.ts')]: join(coreSrc, 'features', 'notifications.ts'),
};

const CHUNK_IMPORT = /import\(\s*['"](?:\.\.?\/)+chunks\/([\w-]+)['"]\s*\)/g;
const loadChunkFile = join(srcDir, 'lazy', 'load-chunk.ts');

/** Main script-tag build: a chunk import becomes a `<script>` load (see above). */
export const scriptTagChunkLoader: Plugin = {
  name: 'banter-chunk-loader',
  setup(build) {
    build.onLoad({ filter: /\.tsx?$/ }, (args) => {
      if (!args.path.startsWith(srcDir) || args.path.startsWith(chunksDir)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!CHUNK_IMPORT.test(source)) return undefined;
      CHUNK_IMPORT.lastIndex = 0;
      const contents = `import { loadChunk as __loadChunk } from ${JSON.stringify(loadChunkFile)};\n${source.replace(
        CHUNK_IMPORT,
        (_, name: string) => {
          if (!chunkFiles[name]) throw new Error(`[banter] no lazy chunk src/chunks/${name}.tsx`);
          return WITH_CORE.has(name) ? `globalThis.__banterCoreChunk(${JSON.stringify(name)})` : `__loadChunk(${JSON.stringify(name)})`;
        },
      )}`;
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * @banter/core's own lazy modules (imported with `import()` in core) -> the script-tag chunk that
 * ships each (src/chunks/<name>.ts re-exports it). An IIFE would inline them.
 */
export const CORE_CHUNKS: Record<string, string> = {
  // Edits, deletes, reactions, pins, their events and the offline queue of them (3 kB).
  'message-lifecycle': 'core-lifecycle',
  // client.moderation: block, mute, report.
  moderation: 'core-moderation',
  // client.conversations' group calls: rename, add and remove people.
  groups: 'core-groups',
  // client.messages' thread pages, pins and versions.
  threads: 'core-threads',
};
const CORE_CHUNK_IMPORT = new RegExp(`/(${Object.keys(CORE_CHUNKS).join('|')})$`);

/**
 * Main script-tag build: each of core's lazy modules in CORE_CHUNKS becomes a load of its chunk
 * instead of inlined code. The module standing in for it is a thenable: core's `await import(...)`
 * adopts it, and so resolves with the chunk's exports.
 */
export const coreChunks: Plugin = {
  name: 'banter-core-chunks',
  setup(build) {
    build.onResolve({ filter: CORE_CHUNK_IMPORT }, (args) => {
      const module = CORE_CHUNK_IMPORT.exec(args.path)?.[1];
      return module && /core[/\\]/.test(args.importer) && args.kind === 'dynamic-import'
        ? { path: CORE_CHUNKS[module]!, namespace: 'core-chunk' }
        : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'core-chunk' }, (args) => ({
      // No import: a module reached by import() makes esbuild wrap everything it imports (preact
      // too) in lazy-init closures, 0.2 kB. lazy-file-upload.ts leaves a loader on globalThis that
      // hands the chunk the core modules it shares with widget.js (CORE_SHARED).
      contents: `export const then = (ok, fail) => globalThis.__banterCoreChunk(${JSON.stringify(args.path)}).then(ok, fail);`,
      loader: 'js',
    }));
  },
};

/** What a chunk takes from the main bundle (src/lazy/shared-names.ts). */
const SHARED_PACKAGES: string[] = ['preact', 'preact/hooks', 'preact/jsx-runtime'];
const SHARED_LOCAL: Record<string, string> = {
  [join(srcDir, 'context')]: 'context',
  // The upload chunk's imports of core modules widget.js has (lazy-file-upload.ts).
  ...Object.fromEntries(Object.keys(CORE_SHARED).map((file) => [join(coreSrc, file), 'core'])),
};
// Never in a chunk: the main bundle has them and they are large (take the client from context).
const FORBIDDEN = /^(@banter\/core|pusher-js)(\/|$)/;

/** Chunk builds: shared modules come from the main bundle, and the entry registers its exports. */
export const chunkFromMain: Plugin = {
  name: 'banter-chunk',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return { path: resolve(args.path), namespace: 'banter-chunk-entry' };
      if (SHARED_PACKAGES.includes(args.path)) return { path: args.path, namespace: 'banter-shared' };
      const core = args.path === '@banter/core' ? CORE_IN_CHUNK[args.importer] : undefined;
      if (core) return { path: core };
      if (FORBIDDEN.test(args.path)) {
        return { errors: [{ text: `a lazy chunk must not bundle ${args.path}; take it from the widget context` }] };
      }
      if (args.path.startsWith('.')) {
        const key = SHARED_LOCAL[resolve(args.resolveDir, args.path).replace(/\.tsx?$/, '')];
        if (key) return { path: key, namespace: 'banter-shared' };
      }
      return undefined;
    });
    // Named exports, so a chunk importing a name widget.js does not hand over fails its build.
    build.onLoad({ filter: /.*/, namespace: 'banter-shared' }, (args) => {
      const names = SHARED[args.path as keyof typeof SHARED];
      return {
        contents: `const m = globalThis.Banter._lazy.modules[${JSON.stringify(args.path)}];\n${names
          .map((name) => `export const ${name} = m.${name};`)
          .join('\n')}`,
        loader: 'js',
      };
    });
    build.onLoad({ filter: /.*/, namespace: 'banter-chunk-entry' }, (args) => {
      const name = Object.keys(chunkFiles).find((n) => chunkFiles[n] === args.path);
      if (!name) return { errors: [{ text: `${args.path} is not in src/chunks/` }] };
      return {
        contents: `import * as m from ${JSON.stringify(args.path)};\nglobalThis.Banter._lazy.define(${JSON.stringify(name)}, m);`,
        loader: 'js',
        resolveDir: chunksDir,
      };
    });
  },
};

import { defineConfig } from 'tsup';
import { chunkEntries, chunkFromMain, coreChunks, scriptTagChunkLoader } from './lazy-chunks';
import { coreSources, lazyFileUpload } from './lazy-file-upload';
import { noDebugTransport } from './no-debug-transport';
import { noLazyPusher } from './no-lazy-pusher';
import { pusherSourceBuild } from './pusher-source';

export default defineConfig([
  {
    // For bundlers: preact, @banter/core and pusher-js stay dependencies; locales are lazy chunks.
    entry: { index: 'src/index.ts', 'locales/fr': 'src/locales/fr.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2020',
  },
  {
    // For a script tag: one IIFE with everything inside (preact, core from its sources, pusher-js);
    // embed.ts sets the one global, `Banter`.
    entry: { widget: 'src/embed.ts' },
    format: ['iife'],
    platform: 'browser',
    noExternal: [/.*/],
    minify: true,
    sourcemap: true,
    target: 'es2020',
    outExtension: () => ({ js: '.js' }),
    esbuildPlugins: [coreSources, scriptTagChunkLoader, coreChunks, noLazyPusher, lazyFileUpload, pusherSourceBuild, noDebugTransport],
  },
  {
    // The Web Push service worker a host serves on its own origin (docs/widget.md#notifications).
    entry: { 'banter-sw': 'src/service-worker/banter-sw.ts' },
    format: ['iife'],
    platform: 'browser',
    minify: true,
    target: 'es2020',
    outExtension: () => ({ js: '.js' }),
  },
  {
    // The script tag's lazy chunks, dist/widget.<name>.js next to widget.js: preact and the widget
    // context come from widget.js (lazy-chunks.ts, docs/widget.md#size).
    entry: chunkEntries,
    format: ['iife'],
    platform: 'browser',
    noExternal: [/.*/],
    minify: true,
    sourcemap: true,
    target: 'es2020',
    outExtension: () => ({ js: '.js' }),
    esbuildPlugins: [chunkFromMain],
  },
]);

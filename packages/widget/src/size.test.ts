// @vitest-environment node
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { chunkFiles, chunkFromMain, coreChunks, scriptTagChunkLoader } from '../lazy-chunks';
import { coreSources, lazyFileUpload } from '../lazy-file-upload';
import { noDebugTransport } from '../no-debug-transport';
import { noLazyPusher } from '../no-lazy-pusher';
import { pusherSourceBuild } from '../pusher-source';

/*
 * The size budgets of .size-limit.json, checked in `pnpm test` (CI runs nothing else). Built from
 * the sources with esbuild, as tsup would, then minified and gzipped; 1 kB = 1000 bytes as in
 * size-limit.
 */
export const BUDGETS = {
  /**
   * dist/widget.js: the script-tag IIFE with preact, @banter/core and pusher-js inside: the issue's
   * 40 kB. 41.3 kB with pusher-js's prebuilt worker file; 39.4 kB with pusher-js compiled from its
   * sources without its encrypted channel (pusher-source.ts) and loaded up front (no-lazy-pusher.ts).
   * 43 kB since the reading and phone work of issue 21 (+1.7 kB: seen receipts, the unread divider,
   * per-message times, presence dots, the reconnecting banner, focus moves); the ceiling is
   * 45 kB. See docs/widget.md#size.
   */
  // 44 kB since issue 13/21 in core (+1.9 kB: the client split into features, platform signals, seen
  // receipts, the gap hold, the persisted send queue and drafts); still under the 45 kB.
  // 43.3 kB with lazy chunks (issue 14): the German strings moved out, the chunk loader came in.
  // Big, rarely used UI goes in a chunk (src/chunks/, below), not here.
  // 45 kB, the ceiling, since issues 15-18 in core (+1 kB up front: realtime sign-in, search,
  // upload limits); core's upload code is a lazy chunk of the script tag (lazy-file-upload.ts).
  // 43.0 kB with pusher-js built WebSocket only (pusher-source.ts, -1.65 kB); 43.6 kB with
  // client.moderation (inlined: an IIFE cannot split) and the muted/blocked states.
  // 44.2 kB with issue 15's attach UI (+0.6: the composer's attach button, paste and drop, the
  // list's hook for files, ten strings, core's upload cancel); the UI is the attachments chunk.
  scriptTag: 45_000,
  /**
   * Each lazy chunk of the script tag, dist/widget.<name>.js, loaded when first used (preact and the
   * widget context come from widget.js, so a chunk is its own code only). See docs/widget.md#size.
   */
  chunks: {
    // Files: the composer's tray, images and chips in the list, progress and cancel, the viewer.
    attachments: 4_000,
    'emoji-picker': 3_000,
    // @banter/core's upload code, on the first file sent (lazy-file-upload.ts).
    'file-upload': 1_500,
    // pusher-js's encrypted channel for `private-encrypted-` channels: 8.3 kB, tweetnacl ~7 of it.
    'pusher-encryption': 8_500,
    // 1.5 kB since issue 21: the German strings of the people chunk (New message, Edit group).
    // 1.8 kB since issue 14: those of the message actions chunk (menu, reactions, edit, delete).
    // 2.1 kB since issue 14's replies chunk (quotes, the thread panel, mentions).
    'locale-de': 2_100,
    'search-results': 2_000,
    // @banter/core's edits, deletes, reactions and their events (issue 14; lazy in core too).
    // 1.8 kB since the thread panel's work: those events reach loaded threads too (thread-patch.ts).
    // 1.9 kB with an edit's metadata (typed custom data).
    // 3 kB with the offline queue of changes (core's change-queue.ts, restored after a reload) and pins.
    'core-lifecycle': 3_000,
    // @banter/core's thread pages, pins and versions (lazy in core too).
    'core-threads': 1_100,
    // Replies, threads and mentions: the quote preview and block, "N replies", the thread panel, mention autocomplete.
    // 4.4 kB since a quote finds an original older than the loaded pages (loads back to it, its status).
    replies: 4_500,
    // @banter/core's client.moderation and group calls, out of widget.js since issue 14 (-0.4 kB there).
    'core-moderation': 800,
    'core-groups': 600,
    // "New message" (people search, start a conversation) and a group's editing: 2.8 kB.
    people: 3_500,
    // Browser notifications (issue 16): the switch, Web Push opt-in and out, the hidden-page
    // notification and its beep; core's notifications calls are its own (2.2 kB). 2.6 kB since a
    // click on a notification opens its conversation (the worker's message, ?banter-conversation=).
    notifications: 2_600,
    // Issue 14's message actions: the menu, reaction chips, inline edit, delete confirm, their
    // English strings and CSS (3.8 kB; the emoji picker is its own chunk). 4.2 kB since the chips
    // name who reacted (the summary's userIds, participants' display names).
    'message-actions': 4_200,
  } as Record<string, number>,
  /**
   * What `import { mount } from '@banter/widget'` adds to an app: the widget and preact. Without
   * pusher-js (the client loads it lazily) and without @banter/core, which has its own budget.
   * 17 kB since issue 21's reading and phone work (as above); 18 kB since issue 14's lazy chunks (the
   * chunk hook and the composer's emoji button; the picker itself is a chunk). 18.5 kB since issue
   * 21: the "New message" and "Edit group" buttons and their lazy hooks (18.2 kB; the people chunk
   * takes the avatar from the widget context, so a bundler splits no shared chunk off).
   */
  esm: 18_500,
};

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

async function gzippedSize(options: { entry: string; format: 'iife' | 'esm'; external?: string[]; chunk?: boolean }): Promise<number> {
  const esm = options.format === 'esm';
  const iifePlugins = options.chunk
    ? [chunkFromMain]
    : [coreSources, scriptTagChunkLoader, coreChunks, noLazyPusher, lazyFileUpload, pusherSourceBuild, noDebugTransport];
  const result = await build({
    entryPoints: [options.chunk ? options.entry : src(options.entry)],
    bundle: true,
    minify: true,
    write: false,
    format: options.format,
    // ESM as bundlers ship it: lazy imports (the locales) become chunks loaded only when used.
    splitting: esm,
    outdir: '/virtual-out',
    metafile: true,
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    external: options.external ?? [],
    plugins: esm ? [] : iifePlugins,
    logLevel: 'silent',
  });
  // The entry and every chunk it imports statically: what loads when the widget does.
  const outputs = result.metafile!.outputs;
  if (!esm && !options.chunk) {
    // pusher-source.ts builds pusher-js WebSocket only: its HTTP fallbacks would be dead weight.
    const inputs = Object.keys(result.metafile!.inputs);
    expect(inputs.filter((path) => /pusher-js\/src\/core\/http\//.test(path))).toEqual([]);
  }
  if (options.chunk) {
    // One preact: a chunk that bundled its own would break hooks and context. Core's upload code
    // (and its constants) is the file-upload chunk's own, core's message lifecycle (types and its limits besides)
    // the core-lifecycle chunk's; the rest of core comes from widget.js.
    // tweetnacl is pusher-encryption's own (widget.js does not have it).
    const inputs = Object.keys(result.metafile!.inputs);
    const own =
      /packages\/core\/src\/(features\/(file-upload|message-lifecycle|change-queue|moderation|groups|notifications|threads|thread-patch)|protocol\/(upload-limits|lifecycle-limits))\.ts$/;
    expect(
      inputs.filter((path) => /node_modules(?!\/\.pnpm\/tweetnacl@|\/tweetnacl\/)|packages\/core\//.test(path) && !own.test(path)),
    ).toEqual([]);
  }
  const entry = Object.keys(outputs).find((path) => outputs[path]!.entryPoint)!;
  const loaded = new Set<string>();
  const visit = (path: string) => {
    if (loaded.has(path)) return;
    loaded.add(path);
    for (const i of outputs[path]!.imports) if (i.kind === 'import-statement' && outputs[i.path]) visit(i.path);
  };
  visit(entry);
  let size = 0;
  for (const file of result.outputFiles) {
    const key = Object.keys(outputs).find((path) => baseName(path) === baseName(file.path));
    if (key && loaded.has(key)) size += gzipSync(file.contents, { level: 9 }).length;
  }
  return size;
}

describe('bundle size', () => {
  it(`script-tag build (everything inside) stays within ${BUDGETS.scriptTag / 1000} kB min+gzip`, async () => {
    const size = await gzippedSize({ entry: './embed.ts', format: 'iife' });
    console.info(`[size] dist/widget.js ${(size / 1000).toFixed(2)} kB min+gzip (${size} B)`);
    expect(size).toBeLessThanOrEqual(BUDGETS.scriptTag);
  });

  it.each(Object.keys(chunkFiles))('lazy chunk widget.%s.js stays within its budget and bundles no preact', async (name) => {
    const budget = BUDGETS.chunks[name];
    expect(budget, `give src/chunks/${name} a budget in BUDGETS.chunks`).toBeDefined();
    const size = await gzippedSize({ entry: chunkFiles[name]!, format: 'iife', chunk: true });
    console.info(`[size] dist/widget.${name}.js ${(size / 1000).toFixed(2)} kB min+gzip`);
    expect(size).toBeLessThanOrEqual(budget!);
  });

  it(`ESM build (with preact, without pusher-js and @banter/core) stays within ${BUDGETS.esm / 1000} kB min+gzip`, async () => {
    const size = await gzippedSize({ entry: './index.ts', format: 'esm', external: ['pusher-js', '@banter/core'] });
    console.info(`[size] @banter/widget ESM ${(size / 1000).toFixed(2)} kB min+gzip`);
    expect(size).toBeLessThanOrEqual(BUDGETS.esm);
  });
});

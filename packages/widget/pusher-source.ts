import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { transform, type Plugin } from 'esbuild';

/*
 * The script-tag bundle builds pusher-js from the TypeScript sources its package ships, as its own
 * webpack config for the worker build does (webpack/config.worker.js: the `src/runtimes/worker`
 * runtime, `global` = `self`, the same version and CDN defines). Both the widget's import and
 * @banter/core's lazy import resolve here, so there is one copy.
 *
 * Why from the sources: scope-hoisted ES2020 is smaller than pusher-js's prebuilt ES5/webpack file,
 * and it lets the encrypted channel (EncryptedChannel and the base64/UTF-8 helpers it pulls in) be
 * left out: Banter never subscribes `private-encrypted-` channels and never passes `nacl`, without
 * which pusher-js refuses such channels before it would construct one. Had someone passed `nacl`,
 * the stub below throws a clear error instead of half-working.
 *
 * Why the worker runtime: it runs in pages too and leaves out the SockJS/JSONP fallbacks Banter
 * disables anyway (WebSocket only; channel authorization goes through the client). It does not
 * watch the browser's online/offline events; the widget's ConnectionBanner does that itself.
 */
const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('pusher-js/package.json'));
const srcDir = join(packageDir, 'src');
const entry = join(srcDir, 'core', 'pusher.ts');
const { version } = require('pusher-js/package.json') as { version: string };

// webpack/config.shared.js + config.worker.js, applied to pusher-js's own files only.
const defines = {
  VERSION: JSON.stringify(version),
  CDN_HTTP: JSON.stringify('http://js.pusher.com'),
  CDN_HTTPS: JSON.stringify('https://js.pusher.com'),
  DEPENDENCY_SUFFIX: JSON.stringify(''),
  RUNTIME: JSON.stringify('worker'),
  global: 'self',
};
// webpack's resolve.modules for the worker build, in its order (bare imports such as `runtime`,
// `core/...` and `isomorphic/...`).
const moduleRoots = [srcDir, join(srcDir, 'runtimes'), join(srcDir, 'runtimes', 'worker')];
const inPusherSources = (path: string) => path.startsWith(srcDir);

const ENCRYPTED_STUB = `export default class EncryptedChannel {
  constructor() {
    throw new Error('[banter] private-encrypted- channels are not supported: this pusher-js build leaves out encrypted channels');
  }
}`;

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

export const pusherSourceBuild: Plugin = {
  name: 'pusher-js-source-build',
  setup(build) {
    // `import Pusher from 'pusher-js'` and `import('pusher-js')`: the class is the default export.
    build.onResolve({ filter: /^pusher-js$/ }, () => ({ path: entry }));

    build.onResolve({ filter: /(^|\/)encrypted_channel$/ }, (args) =>
      inPusherSources(args.importer) ? { path: 'encrypted-channel', namespace: 'pusher-no-encryption' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'pusher-no-encryption' }, () => ({ contents: ENCRYPTED_STUB, loader: 'js' }));

    // Paths inside pusher-js's sources, resolved like its webpack config does: bare ones (`runtime`,
    // `core/...`, `isomorphic/...`) against its resolve.modules, and .ts before .js (src/core holds
    // both pusher.ts and the CommonJS pusher.js that wraps it for webpack's UMD output).
    build.onResolve({ filter: /^(\.|[a-z])/ }, async (args) => {
      if (!inPusherSources(args.importer)) return undefined;
      const bases = args.path.startsWith('.') ? [join(args.resolveDir, args.path)] : moduleRoots.map((root) => join(root, args.path));
      for (const base of bases) {
        for (const suffix of ['.ts', '/index.ts', '.js']) {
          if (await exists(base + suffix)) return { path: base + suffix };
        }
      }
      return undefined;
    });

    // TypeScript with pusher-js's semantics (target ES6: class fields assigned, not defined) and
    // its webpack defines, scoped to its files; the licence banner its builds carry is kept.
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (!inPusherSources(args.path)) return undefined;
      let source = await readFile(args.path, 'utf8');
      if (args.path === entry) {
        // Appended, so the source map's lines stay the file's; bundles gather legal comments anyway.
        const licence = await readFile(join(srcDir, 'core', 'pusher-licence.js'), 'utf8');
        source += `\n${licence.replace('<VERSION>', version)}`;
      }
      const result = await transform(source, {
        loader: 'ts',
        sourcefile: args.path,
        sourcemap: 'inline',
        define: defines,
        tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
      });
      return { contents: result.code, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform, type Plugin } from 'esbuild';

/*
 * The script-tag bundle builds pusher-js from the TypeScript sources its package ships, as its own
 * webpack config for the worker build does (webpack/config.worker.js: the `src/runtimes/worker`
 * runtime, `global` = `self`, the same version and CDN defines). Both the widget's import and
 * @banter/core's lazy import resolve here, so there is one copy.
 *
 * Why from the sources: scope-hoisted ES2020 is smaller than pusher-js's prebuilt ES5/webpack file,
 * and it lets the encrypted channel load lazily: its code, tweetnacl and the base64/UTF-8 helpers
 * are the widget.pusher-encryption.js chunk (src/chunks/pusher-encryption.ts), fetched the first
 * time a `private-encrypted-` channel subscribes. Here a small stand-in (ENCRYPTED_CHANNEL) takes
 * the real one's place, and channels.ts creates it without `nacl` (NO_NACL_CHECK).
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

const loadChunkFile = fileURLToPath(new URL('./src/lazy/load-chunk.ts', import.meta.url));

// pusher-js's EncryptedChannel, in the main bundle: a private channel whose first authorization
// loads the chunk, which turns this very channel into the real encrypted channel (its prototype)
// and authorizes it; a chunk that fails to load is the subscription's error. Until then nothing
// can arrive on it: the relay sends a channel's events only after its authorized subscription.
const ENCRYPTED_CHANNEL = `import PrivateChannel from './private_channel';
import Logger from '../logger';
import { loadChunk } from ${JSON.stringify(loadChunkFile)};
export default class EncryptedChannel extends PrivateChannel {
  authorize(socketId, callback) {
    loadChunk('pusher-encryption').then(
      (m) => m.encrypt(this, PrivateChannel, Logger).authorize(socketId, callback),
      (error) => callback(error, null),
    );
  }
}`;
const encryptedChannelFile = join(srcDir, 'core', 'channels', 'encrypted_channel.ts');

// channels.ts refuses `private-encrypted-` channels unless options carry `nacl`; here the chunk
// brings it, so the check goes (with its error message).
const channelsFile = join(srcDir, 'core', 'channels', 'channels.ts');
const NO_NACL_CHECK =
  /if \(pusher\.config\.nacl\) \{\s*(return Factory\.createEncryptedChannel\(name, pusher, pusher\.config\.nacl\);)\s*\}[\s\S]*?throw new Errors\.UnsupportedFeature\(`\$\{errMsg\}\. \$\{suffix\}`\);/;

/*
 * WebSocket only: Banter's client sets `enabledTransports: ['ws', 'wss']`, so pusher-js's HTTP
 * fallbacks (XHR streaming and polling, their sockets and strategies) can never run. These stand in
 * for the three isomorphic files that would pull them in; the strategy is pusher-js's own default
 * one with the HTTP branches taken out (ws first, wss after 2 s when not TLS), and without the cache
 * of which transport connected last (in localStorage): with one transport there is nothing to pick.
 */
const WS_ONLY: Record<string, string> = {
  'isomorphic/default_strategy.ts': `import TransportManager from 'core/transports/transport_manager';
import SequentialStrategy from 'core/strategies/sequential_strategy';
import BestConnectedEverStrategy from 'core/strategies/best_connected_ever_strategy';
import DelayedStrategy from 'core/strategies/delayed_strategy';
import FirstConnectedStrategy from 'core/strategies/first_connected_strategy';
export default function getDefaultStrategy(config, baseOptions, defineTransport) {
  const manager = new TransportManager({ minPingDelay: 10000, maxPingDelay: config.activityTimeout });
  const options = Object.assign({}, baseOptions, {
    hostNonTLS: config.wsHost + ':' + config.wsPort,
    hostTLS: config.wsHost + ':' + config.wssPort,
    httpPath: config.wsPath,
  });
  const loop = (name, opts) =>
    new SequentialStrategy([defineTransport(config, name, 'ws', 3, opts, manager)], { loop: true, timeout: 15000, timeoutLimit: 60000 });
  const ws = loop('ws', options);
  const wss = loop('wss', Object.assign({}, options, { useTLS: true }));
  const strategy = baseOptions.useTLS ? ws : new BestConnectedEverStrategy([ws, new DelayedStrategy(wss, { delay: 2000 })]);
  return new FirstConnectedStrategy(strategy);
}`,
  'isomorphic/transports/transports.ts': `import * as URLSchemes from 'core/transports/url_schemes';
import Transport from 'core/transports/transport';
import Runtime from 'runtime';
const ws = new Transport({
  urls: URLSchemes.ws,
  handlesActivityChecks: false,
  supportsPing: false,
  isInitialized: () => Boolean(Runtime.getWebSocketAPI()),
  isSupported: () => Boolean(Runtime.getWebSocketAPI()),
  getSocket: (url) => Runtime.createWebSocket(url),
});
export default { ws };`,
  'isomorphic/http/http.ts': `export default {
  createXHR() {
    throw new Error('[banter] this pusher-js build speaks WebSocket only');
  },
};`,
};

/*
 * No stats: Banter's client sets `disableStats: true`, so pusher-js's timeline (the connection's
 * event log it POSTs to Pusher's stats host) is never sent; these stand-ins record nothing (0.3 kB).
 * `Banter.Pusher`, the same build, has no stats either. Paths under src/.
 */
const NO_STATS: Record<string, string> = {
  'core/timeline/timeline.ts': `export default class Timeline {
  constructor(key, session, options) {
    this.key = key;
    this.session = session;
    this.options = options || {};
    this.events = [];
    this.uniqueID = 0;
  }
  log() {}
  error() {}
  info() {}
  debug() {}
  isEmpty() {
    return true;
  }
  send() {
    return false;
  }
  generateUniqueID() {
    return ++this.uniqueID;
  }
}`,
  'core/timeline/timeline_sender.ts': `export default class TimelineSender {
  send() {}
}`,
  'runtimes/worker/timeline/fetch_timeline.ts': `export default { name: 'fetch', getAgent: () => () => {} };`,
};

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

    const standIns: [string, string][] = [
      ...Object.entries(WS_ONLY).map(([file, contents]): [string, string] => [join('runtimes', file), contents]),
      ...Object.entries(NO_STATS),
    ];
    for (const [file, contents] of standIns) {
      const path = join(srcDir, file);
      build.onLoad({ filter: new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }, () => ({
        contents,
        loader: 'ts',
        resolveDir: dirname(path),
      }));
    }

    // TypeScript with pusher-js's semantics (target ES6: class fields assigned, not defined) and
    // its webpack defines, scoped to its files; the licence banner its builds carry is kept.
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (!inPusherSources(args.path)) return undefined;
      if (args.path === encryptedChannelFile) return { contents: ENCRYPTED_CHANNEL, loader: 'js', resolveDir: dirname(args.path) };
      let source = await readFile(args.path, 'utf8');
      if (args.path === channelsFile) {
        if (!NO_NACL_CHECK.test(source))
          throw new Error(`[banter] pusher-js ${version}: channels.ts no longer checks config.nacl as expected`);
        source = source.replace(NO_NACL_CHECK, '$1');
      }
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

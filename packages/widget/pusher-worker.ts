import { createRequire } from 'node:module';
import type { Plugin } from 'esbuild';

/*
 * Resolves `pusher-js` to pusher-js's worker build for the script-tag bundle, both for the widget's
 * import and for @banter/core's lazy import (else both builds would be bundled). The worker build
 * runs in pages too and is 1.8 kB (gzip) smaller: it leaves out the SockJS/XHR fallbacks Banter
 * disables anyway (WebSocket only; channel auth goes through the client). It does not watch the
 * browser's online/offline events; the widget's ConnectionBanner does that itself. The .min.js
 * file: terser packs pusher-js 0.4 kB (gzip) tighter than esbuild re-minifying its plain build.
 */
export const pusherWorkerBuild: Plugin = {
  name: 'pusher-js-worker-build',
  setup(build) {
    const require = createRequire(import.meta.url);
    build.onResolve({ filter: /^pusher-js$/ }, () => ({ path: require.resolve('pusher-js/dist/worker/pusher.worker.min.js') }));
  },
};

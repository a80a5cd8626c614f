// The scale section's network pieces, in their own process: a proxy that holds every HTTP call to
// the Pusher-protocol service for `delayMs` before passing it on (as hosted Pusher's round trip
// would), and a round-robin balancer in front of the Banter instances (per request, keep-alive).
import http from 'node:http';
import { serve } from './rpc.mjs';

const servers = new Map();

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

/** Forward `req` to 127.0.0.1:`port` and pipe the answer back. */
function forward(req, res, port, agent, counters) {
  const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => {
    counters.errors++;
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}

async function start(name, handler) {
  await stopOne(name);
  const server = http.createServer(handler);
  server.keepAliveTimeout = 60_000;
  const port = await listen(server);
  servers.set(name, server);
  return port;
}

async function stopOne(name) {
  const server = servers.get(name);
  if (!server) return;
  servers.delete(name);
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(() => resolve()));
}

const counters = { delayed: 0, balanced: 0, errors: 0 };

serve({
  /** Every request waits `delayMs`, then goes to the service at `target`. */
  async delay({ target, delayMs }) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    const port = await start('delay', (req, res) => {
      counters.delayed++;
      // The body is read at once (the SDK's request is complete), the call held, then forwarded.
      req.pause();
      setTimeout(() => {
        req.resume();
        forward(req, res, target, agent, counters);
      }, delayMs);
    });
    return { port };
  },
  /** Requests go to `targets` in turn, one request at a time (not one connection at a time). */
  async balance({ targets }) {
    const agents = targets.map(() => new http.Agent({ keepAlive: true, maxSockets: 256 }));
    let next = 0;
    const port = await start('balance', (req, res) => {
      counters.balanced++;
      const i = next++ % targets.length;
      forward(req, res, targets[i], agents[i], counters);
    });
    return { port };
  },
  async counters() {
    return { ...counters };
  },
  async stopBalancer() {
    await stopOne('balance');
  },
  async stop() {
    for (const name of [...servers.keys()]) await stopOne(name);
  },
});

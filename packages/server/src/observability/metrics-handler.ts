import type { Registry } from 'prom-client';

/**
 * `GET /metrics` for a host's own server: the Prometheus text of a chat server's registry (plus
 * anything the host registered on it, e.g. `registerRelayMetrics`). Mount it where only the
 * scraper can reach it; the standalone server serves it at `/metrics`.
 *
 * @example
 * const metrics = metricsHandler(chat);
 * app.get('/metrics', toNodeHandler(metrics));
 */
export function metricsHandler(source: { registry: Registry }): (request?: Request) => Promise<Response> {
  return async () => {
    const body = await source.registry.metrics();
    return new Response(body, {
      status: 200,
      headers: { 'content-type': source.registry.contentType, 'cache-control': 'no-store' },
    });
  };
}

import { createHash, createHmac } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { APP, startRelay } from '../../test/kit/relay';
import type { Relay } from '../relay/types';

// Tampering with a captured, correctly signed request to the relay's HTTP API (what the `pusher`
// SDK sends): relay/http-api.integration.test.ts covers bad signatures, stale timestamps, wrong
// body_md5 and oversize bodies; these are the replays and edits an eavesdropper would try.
let relay: Relay | null = null;
afterEach(async () => {
  await relay?.close();
  relay = null;
});

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
function signed(method: string, path: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const params: Record<string, string> = { auth_key: APP.key, auth_timestamp: String(timestamp), auth_version: '1.0', body_md5: md5(body) };
  const query = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  const signature = createHmac('sha256', APP.secret).update(`${method}\n${path}\n${query}`).digest('hex');
  return { path, query: `${query}&auth_signature=${signature}` };
}

it('refuses a captured request replayed outside the window, retargeted, with its body swapped, or with parameters added', async () => {
  const started = await startRelay();
  relay = started.relay;
  const post = async (path: string, query: string, body: string) =>
    (
      await fetch(`http://127.0.0.1:${started.port}${path}?${query}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      })
    ).status;
  const body = JSON.stringify({ name: 'message.created', channels: ['private-user.alice'], data: '{}' });
  const events = `/apps/${APP.id}/events`;
  const captured = signed('POST', events, body);
  expect(await post(captured.path, captured.query, body)).toBe(200);
  // Inside the window a replay publishes the same event again (Pusher semantics, no nonce) ...
  expect(await post(captured.path, captured.query, body)).toBe(200);
  // ... outside it (a request captured 11 minutes ago), it is refused.
  const old = signed('POST', events, body, Math.floor(Date.now() / 1000) - 660);
  expect(await post(old.path, old.query, body)).toBe(401);
  // The same signature on another route, with another body, or with parameters added.
  expect(await post(`/apps/${APP.id}/batch_events`, captured.query, body)).toBe(401);
  const evil = JSON.stringify({ name: 'message.created', channels: ['private-user.bob'], data: '{"evil":1}' });
  expect(await post(events, captured.query, evil)).toBe(401);
  expect(await post(events, captured.query.replace(/body_md5=[0-9a-f]+/, `body_md5=${md5(evil)}`), evil)).toBe(401);
  expect(await post(events, `${captured.query}&socket_id=1.2`, body)).toBe(401);
  expect(await post(events, captured.query.replace('auth_signature=', 'auth_signature=' + 'A'), body)).toBe(401);
});

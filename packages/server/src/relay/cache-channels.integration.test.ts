import type Pusher from 'pusher-js';
import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent, pusherClient, relaySdk, startRelay } from '../../test/kit/relay';
import type { Relay, RelayOptions } from './types';

// Cache channels: the last event is replayed to a new subscriber, or pusher:cache_miss is sent.

let relay: Relay | null = null;
let clients: Pusher[] = [];

afterEach(async () => {
  for (const c of clients) c.disconnect();
  clients = [];
  await relay?.close();
  relay = null;
});

async function start(options: Partial<RelayOptions> = {}) {
  const started = await startRelay(options);
  relay = started.relay;
  const sdk = relaySdk(started.port);
  const client = () => {
    const c = pusherClient(started.port, { user: { user_id: 'ann' } });
    clients.push(c);
    return c;
  };
  return { sdk, client };
}

describe('relay: cache channels', () => {
  it('replays the last event (pusher SDK trigger) to a later subscriber on cache-, private-cache- and presence-cache-', async () => {
    const { sdk, client } = await start();
    for (const name of ['cache-prices', 'private-cache-prices', 'presence-cache-prices']) {
      await sdk.trigger(name, 'price', { v: 1 });
      await sdk.trigger(name, 'price', { v: 2 });
      const channel = client().subscribe(name);
      expect(await nextEvent(channel, 'price')).toEqual({ v: 2 });
    }
  });

  it('sends pusher:cache_miss when nothing was published, and then the live events', async () => {
    const { sdk, client } = await start();
    const channel = client().subscribe('cache-empty');
    await nextEvent(channel, 'pusher:cache_miss');
    const live = nextEvent(channel, 'price');
    await sdk.trigger('cache-empty', 'price', { v: 3 });
    expect(await live).toEqual({ v: 3 });
  });

  it('keeps at most maxCachedChannels: the oldest is forgotten', async () => {
    const { sdk, client } = await start({ limits: { maxCachedChannels: 2 } });
    for (const name of ['cache-a', 'cache-b', 'cache-c']) await sdk.trigger(name, 'e', { name });
    const c = client();
    await nextEvent(c.subscribe('cache-a'), 'pusher:cache_miss');
    expect(await nextEvent(c.subscribe('cache-c'), 'e')).toEqual({ name: 'cache-c' });
  });
});

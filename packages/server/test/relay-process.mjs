// One relay process of the cluster test: the built relay (dist), joined to a Redis channel.
// Started by relay-cluster.integration.test.ts with fork(); answers with its port.
const { createRelay } = await import(new URL('../dist/relay.js', import.meta.url).href);
const { app, redisUrl, channel } = JSON.parse(process.env.RELAY_PROCESS);
const relay = createRelay({ apps: [app], cluster: { redisUrl, channel } });
const { port } = await relay.listen(0, '127.0.0.1');
process.send({ port });
process.on('message', async (message) => {
  if (message === 'stop') {
    await relay.close();
    process.exit(0);
  }
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelay } from '../relay/create-relay';
import type { Relay } from '../relay/types';
import { type DoctorCheck, type DoctorConfig, doctorConfigFromEnv, formatDoctorReport, runDoctor } from './doctor';
import { runCli } from './run';

const APP = { id: 'doctor-app', key: 'doctor-key', secret: 'doctor-secret-of-the-relay' };
const GOOD_SECRET = 'a-banter-secret-that-is-long-enough-0123456789';
const FAST = { timeoutMs: 2000 };

function check(checks: DoctorCheck[], name: string): DoctorCheck {
  const found = checks.find((c) => c.name === name);
  if (!found) throw new Error(`no ${name} check in ${JSON.stringify(checks)}`);
  return found;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('banter doctor', { timeout: 20_000 }, () => {
  let relay: Relay;
  let relayPort: number;
  let skewed: Server;
  let skewedPort: number;
  let dir: string;
  const relayConfig = (secret = APP.secret) => ({ appId: APP.id, key: APP.key, secret, host: '127.0.0.1', port: relayPort, useTLS: false });

  beforeAll(async () => {
    relay = createRelay({ apps: [APP] });
    relayPort = (await relay.listen(0, '127.0.0.1')).port;
    // A host whose clock is an hour ahead: its Date header says so.
    skewed = createServer((_req, res) => {
      res.sendDate = false;
      res.writeHead(200, { date: new Date(Date.now() + 3600_000).toUTCString(), 'content-type': 'text/plain' });
      res.end('ok');
    });
    skewedPort = await listen(skewed);
    dir = await mkdtemp(join(tmpdir(), 'banter-doctor-'));
  });
  afterAll(async () => {
    await relay.close();
    await new Promise((resolve) => skewed.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const base = (): DoctorConfig => ({
    secret: GOOD_SECRET,
    ...(process.env.TEST_DATABASE_URL ? { databaseUrl: process.env.TEST_DATABASE_URL } : { dataDir: join(dir, 'db') }),
    pusher: relayConfig(),
  });

  it('passes a sound configuration: the real relay, a long secret, a reachable database', async () => {
    const report = await runDoctor(base(), FAST);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(check(report.checks, 'realtime').message).toMatch(/accepts the credentials/);
    expect(check(report.checks, 'clock').ok).toBe(true);
    expect(formatDoctorReport(report)).toMatch(/All checks passed\.$/);
  });

  it('reports an unreachable database (a closed port)', async () => {
    const port = await closedPort();
    const report = await runDoctor({ ...base(), databaseUrl: `postgres://postgres@127.0.0.1:${port}/test` }, FAST);
    expect(report.ok).toBe(false);
    const database = check(report.checks, 'database');
    expect(database.ok).toBe(false);
    expect(database.message).toMatch(new RegExp(`cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port}.*connection refused`));
    expect(formatDoctorReport(report)).toMatch(/FAIL {2}database/);
  });

  it('reports credentials the real relay rejects (a wrong secret), and an unknown app', async () => {
    const wrong = await runDoctor({ ...base(), pusher: relayConfig('not-the-relay-secret') }, FAST);
    expect(wrong.ok).toBe(false);
    expect(check(wrong.checks, 'realtime')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/rejected the credentials \(HTTP 401\).*PUSHER_APP_SECRET/),
    });
    expect(check(wrong.checks, 'clock').ok).toBe(true);
    const unknown = await runDoctor({ ...base(), pusher: { ...relayConfig(), appId: 'nope' } }, FAST);
    expect(check(unknown.checks, 'realtime')).toMatchObject({ ok: false, message: expect.stringMatching(/app nope|rejected/) });
  });

  it('reports a realtime host that does not answer', async () => {
    const port = await closedPort();
    const report = await runDoctor({ ...base(), pusher: { ...relayConfig(), port } }, FAST);
    expect(check(report.checks, 'realtime')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/cannot reach http:\/\/127\.0\.0\.1:\d+: connection refused/),
    });
  });

  it('reports a missing and a short secret', async () => {
    const short = await runDoctor({ ...base(), secret: 'too-short' }, FAST);
    expect(short.ok).toBe(false);
    expect(check(short.checks, 'secret')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/too short: 9 characters, at least 32/),
    });
    const missing = await runDoctor({ ...base(), secret: null }, FAST);
    expect(check(missing.checks, 'secret')).toMatchObject({ ok: false, message: expect.stringMatching(/BANTER_SECRET is not set/) });
  });

  it("reports clock skew against the Pusher host's Date header", async () => {
    const report = await runDoctor({ ...base(), pusher: { ...relayConfig(), port: skewedPort } }, FAST);
    expect(report.ok).toBe(false);
    const clock = check(report.checks, 'clock');
    expect(clock.ok).toBe(false);
    expect(clock.message).toMatch(/clock is 3\d{3} s behind 127\.0\.0\.1's; Pusher refuses signed requests more than 600 s off/);
  });

  it('runs as banter doctor: exit code 0 when every check passes, 1 with the failed check named', async () => {
    const env = {
      BANTER_SECRET: GOOD_SECRET,
      PUSHER_APP_ID: APP.id,
      PUSHER_APP_KEY: APP.key,
      PUSHER_APP_SECRET: APP.secret,
      PUSHER_HOST: '127.0.0.1',
      PUSHER_PORT: String(relayPort),
      PUSHER_SCHEME: 'http',
    };
    const out: string[] = [];
    const good = await runCli(['doctor', '--data-dir', dir, '--port', '0'], {
      env,
      cwd: dir,
      stdout: (l) => out.push(l),
      stderr: (l) => out.push(l),
    });
    expect(out.join('\n')).toMatch(/All checks passed/);
    expect(good).toBe(0);
    out.length = 0;
    const bad = await runCli(['doctor', '--data-dir', dir, '--port', '0'], {
      env: { ...env, BANTER_SECRET: 'short', PUSHER_APP_SECRET: 'wrong' },
      cwd: dir,
      stdout: (l) => out.push(l),
      stderr: (l) => out.push(l),
    });
    expect(bad).toBe(1);
    expect(out.join('\n')).toMatch(
      /FAIL {2}secret .*too short[\s\S]*FAIL {2}realtime .*rejected the credentials[\s\S]*2 check\(s\) failed/,
    );
    out.length = 0;
    // --dev generates a secret on start: its absence is no failure then.
    expect(
      await runCli(['doctor', '--dev', '--data-dir', dir, '--port', '0'], {
        env: { ...env, BANTER_SECRET: '' },
        cwd: dir,
        stdout: (l) => out.push(l),
      }),
    ).toBe(0);
  });

  it('reports incomplete PUSHER_* variables and a port in use, from the same env as banter serve', async () => {
    const busy = createServer();
    const port = await listen(busy);
    try {
      const config = doctorConfigFromEnv({ port: String(port), 'data-dir': dir }, { BANTER_SECRET: GOOD_SECRET, PUSHER_APP_ID: '1' }, '/');
      expect(config.dataDir).toBe(join(dir, 'db'));
      const report = await runDoctor(config, FAST);
      expect(check(report.checks, 'realtime')).toMatchObject({
        ok: false,
        message: expect.stringMatching(/PUSHER_APP_KEY, PUSHER_APP_SECRET/),
      });
      expect(check(report.checks, 'port')).toMatchObject({ ok: false, message: expect.stringMatching(/already in use/) });
      expect(check(report.checks, 'secret').ok).toBe(true);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});

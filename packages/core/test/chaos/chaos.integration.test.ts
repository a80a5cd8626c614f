import { databaseTargets } from '@banter/server/testing';
import { expect, it } from 'vitest';
import { type ChaosOptions, runChaos } from './run-chaos';

/**
 * The bounded chaos run of `pnpm test` (about 20-30 s): clients send while the relay restarts,
 * PostgreSQL connections are killed, the broadcaster goes dark, a server instance is replaced and
 * clients drop and come back, and events over the realtime limit are written (4,000 three-byte
 * characters in a message; a 12 KB outbox row, which must become one dead letter and hold nothing back). `pnpm test:chaos [--full]` runs longer versions (CHAOS_MODE).
 * One database: PostgreSQL when TEST_DATABASE_URL is set, else PGlite.
 */
const MODES: Record<string, ChaosOptions> = {
  ci: {
    durationMs: 12_000,
    users: 8,
    conversations: 8,
    sendIntervalMs: 500,
    faults: {
      relayRestartEveryMs: 4000,
      dbKillEveryMs: 3000,
      broadcasterOutageEveryMs: 7000,
      broadcasterOutageMs: 2000,
      instanceKillEveryMs: 8000,
      clientDropEveryMs: 1500,
      oversizedEventEveryMs: 3000,
    },
    settleMs: 20_000,
  },
  long: {
    durationMs: 60_000,
    users: 16,
    conversations: 16,
    sendIntervalMs: 400,
    faults: {
      relayRestartEveryMs: 5000,
      dbKillEveryMs: 4000,
      broadcasterOutageEveryMs: 15_000,
      broadcasterOutageMs: 3000,
      instanceKillEveryMs: 12_000,
      clientDropEveryMs: 1000,
      oversizedEventEveryMs: 5000,
    },
    settleMs: 45_000,
  },
};
MODES.full = {
  ...MODES.long!,
  durationMs: 180_000,
  users: 24,
  conversations: 24,
  // The cluster restart touches every suite on this PostgreSQL: only when asked for explicitly.
  faults: { ...MODES.long!.faults, ...(process.env.CHAOS_PG_RESTART === '1' ? { clusterRestartEveryMs: 45_000 } : {}) },
  settleMs: 60_000,
};

const mode = process.env.CHAOS_MODE ?? 'ci';
const options = MODES[mode];
if (!options) throw new Error(`unknown CHAOS_MODE ${mode}; use ci, long or full`);
const target = databaseTargets().at(-1)!;
const seed = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : Date.now();

it(
  `loses nothing and doubles nothing under faults (${mode}, ${target.name})`,
  async () => {
    const report = await runChaos(target, { ...options, log: (line) => console.log(line) }, seed);
    console.log(report.summary);
    for (const m of report.mismatches.slice(0, 30)) console.log(`  mismatch: ${m}`);
    expect(report.lost).toBe(0);
    expect(report.duplicated).toBe(0);
    expect(report.deadLetters).toBe(0);
    expect(report.mismatches).toEqual([]);
    expect(report.delivered).toBe(report.expectedDeliveries);
    // The run did something: messages went through and every kind of fault happened.
    expect(report.acknowledged).toBeGreaterThan(50);
    expect(report.faults.relayRestarts).toBeGreaterThan(0);
    expect(report.faults.broadcasterOutages).toBeGreaterThan(0);
    expect(report.faults.instanceKills).toBeGreaterThan(0);
    expect(report.faults.clientDrops).toBeGreaterThan(0);
    expect(report.faults.oversizedEvents).toBeGreaterThan(0);
    if (target.name === 'postgres') expect(report.faults.dbConnectionsKilled).toBeGreaterThan(0);
  },
  options.durationMs + 4 * options.settleMs + 120_000,
);

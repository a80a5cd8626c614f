import { describe, expect, it } from 'vitest';
import { BroadcasterError } from '../realtime/broadcaster-error';
import { deliverRows, type DeliveryRoundOptions } from './delivery-round';
import type { ClaimedRow } from './queries';

let nextId = 1;
function row(conversation: string, payload: unknown = { seq: nextId }): ClaimedRow {
  return {
    id: nextId++,
    conversation_id: conversation,
    channel: `private-user.${conversation}`,
    event: 'e',
    payload,
    socket_id: null,
    request_id: null,
    attempts: 0,
  };
}
const options = (send: DeliveryRoundOptions['send'], more: Partial<DeliveryRoundOptions> = {}): DeliveryRoundOptions => ({
  send,
  batchSize: 10,
  maxAttempts: 3,
  backoff: { baseMs: 100, capMs: 1000 },
  random: () => 1,
  ...more,
});
const kinds = (outcomes: { kind: string; row: ClaimedRow }[]) => outcomes.map((o) => `${o.row.id}:${o.kind}`);

describe('deliverRows (one round, no database)', () => {
  it('sends rows in batches of batchSize, in order, and reports each delivered', async () => {
    const rows = Array.from({ length: 25 }, () => row('a'));
    const calls: number[][] = [];
    const result = await deliverRows(
      rows,
      options(async (batch) => (calls.push(batch.map((r) => r.id)), null)),
    );
    expect(calls.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(calls.flat()).toEqual(rows.map((r) => r.id));
    expect(result.outcomes.every((o) => o.kind === 'delivered')).toBe(true);
    expect(result).toMatchObject({ held: [], outage: false });
  });

  it('a step (steps.ts) is a call of its own after the rows before it; a failed step holds the rows after it', async () => {
    const step = (conversation: string) => ({ ...row(conversation), event: 'banter:disconnect-user' });
    const rows = [row('a'), row('a'), step('a'), row('a'), row('b')];
    const calls: number[][] = [];
    const ok = await deliverRows(
      rows,
      options(async (batch) => (calls.push(batch.map((r) => r.id)), null)),
    );
    expect(calls).toEqual([[rows[0]!.id, rows[1]!.id], [rows[2]!.id], [rows[3]!.id, rows[4]!.id]]);
    expect(ok.outcomes.every((o) => o.kind === 'delivered')).toBe(true);
    const failing = await deliverRows(
      rows,
      options(async (batch) => (batch[0]!.event.startsWith('banter:') ? new Error('terminate_connections failed') : null)),
    );
    expect(kinds(failing.outcomes)).toEqual([
      `${rows[0]!.id}:delivered`,
      `${rows[1]!.id}:delivered`,
      `${rows[2]!.id}:retry`,
      `${rows[4]!.id}:delivered`,
    ]);
    expect(failing.held.map((r) => r.id)).toEqual([rows[3]!.id]);
  });

  it('a refused event (413) is dead at once; its batch-mates and later events of its conversation go through', async () => {
    const rows = [row('a'), row('a'), row('b'), row('a')];
    const bad = rows[1]!.id;
    const result = await deliverRows(
      rows,
      options(async (batch) => (batch.some((r) => r.id === bad) ? new BroadcasterError('HTTP 413', { status: 413 }) : null)),
    );
    expect(kinds(result.outcomes)).toEqual([
      `${rows[0]!.id}:delivered`,
      `${bad}:dead`,
      // One call holds a conversation's rows together: 'a' before 'b'.
      `${rows[3]!.id}:delivered`,
      `${rows[2]!.id}:delivered`,
    ]);
    expect(result.outcomes[1]).toMatchObject({ kind: 'dead', rejected: true, attempts: 1 });
    expect(result).toMatchObject({ held: [], outage: false });
  });

  it('many refused events in a row are no outage', async () => {
    const rows = Array.from({ length: 6 }, () => row('x'));
    const result = await deliverRows(
      rows,
      options(async () => new BroadcasterError('HTTP 413', { status: 413 }), { batchSize: 1 }),
    );
    expect(result.outcomes.map((o) => o.kind)).toEqual(Array(6).fill('dead'));
    expect(result.outage).toBe(false);
  });

  it('an event over the size limit is dead without being sent', async () => {
    const big = row('a', { text: 'é'.repeat(6000) });
    const small = row('a');
    const sent: number[] = [];
    const result = await deliverRows(
      [big, small],
      options(async (batch) => (sent.push(...batch.map((r) => r.id)), null)),
    );
    expect(sent).toEqual([small.id]);
    expect(result.outcomes[0]).toMatchObject({ kind: 'dead', rejected: true, row: big });
    expect(String((result.outcomes[0] as { error: Error }).error.message)).toMatch(/over the 10240-byte limit/);
  });

  it('a transport failure backs its row off and holds the later rows of its conversation only', async () => {
    const rows = [row('a'), row('b'), row('a'), row('b')];
    const result = await deliverRows(
      rows,
      options(async (batch) => (batch.some((r) => r.id === rows[0]!.id) ? new Error('ECONNRESET') : null)),
    );
    expect(kinds(result.outcomes)).toEqual([`${rows[0]!.id}:retry`, `${rows[1]!.id}:delivered`, `${rows[3]!.id}:delivered`]);
    expect(result.outcomes[0]).toMatchObject({ attempts: 1, delayMs: 100 });
    expect(result.held.map((r) => r.id)).toEqual([rows[2]!.id]);
    expect(result.outage).toBe(false);
  });

  it('two transport failures in a row are an outage: the round stops, the rest is held', async () => {
    const rows = [row('a'), row('b'), row('c'), row('d')];
    const result = await deliverRows(
      rows,
      options(async () => new BroadcasterError('HTTP 503', { status: 503 }), { batchSize: 1 }),
    );
    expect(result.outcomes.map((o) => o.kind)).toEqual(['retry', 'retry']);
    expect(result.held.map((r) => r.id)).toEqual([rows[2]!.id, rows[3]!.id]);
    expect(result.outage).toBe(true);
  });

  it('a row out of attempts is dead, not rejected', async () => {
    const tired = { ...row('a'), attempts: 2 };
    const result = await deliverRows(
      [tired],
      options(async () => new Error('timeout')),
    );
    expect(result.outcomes[0]).toMatchObject({ kind: 'dead', rejected: false, attempts: 3 });
  });

  it('with concurrency, N rows go in ceil(N / batchSize) calls, in parallel, each conversation in order', async () => {
    // Interleaved as a sweep claims them: 43 rows of 10 conversations.
    const rows = Array.from({ length: 43 }, (_, i) => row(`c${i % 10}`));
    let inFlight = 0;
    let most = 0;
    const calls: ClaimedRow[][] = [];
    const order: ClaimedRow[] = [];
    const result = await deliverRows(
      rows,
      options(
        async (batch) => {
          calls.push(batch);
          most = Math.max(most, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inFlight--;
          order.push(...batch);
          return null;
        },
        { batchSize: 10, concurrency: 4 },
      ),
    );
    expect(calls).toHaveLength(5);
    expect(calls.map((c) => c.length)).toEqual([10, 10, 10, 10, 3]);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
    expect(result.outcomes.filter((o) => o.kind === 'delivered')).toHaveLength(43);
    for (const c of ['c0', 'c3', 'c4', 'c9']) {
      const ids = order.filter((r) => r.conversation_id === c).map((r) => r.id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    }
  });

  it('a conversation split over two calls: the second waits for the first, and is held when it failed', async () => {
    const rows = [...Array.from({ length: 12 }, () => row('long')), row('other')];
    const seen: number[][] = [];
    const result = await deliverRows(
      rows,
      options(
        async (batch) => {
          seen.push(batch.map((r) => r.id));
          return batch.some((r) => r.id === rows[0]!.id) ? new Error('timeout') : null;
        },
        { batchSize: 10, concurrency: 4 },
      ),
    );
    // The first call fails, its rows go one by one: the first fails again and holds the rest of 'long'.
    expect(seen[0]).toHaveLength(10);
    expect(seen[1]).toEqual([rows[0]!.id]);
    expect(seen.flat()).not.toContain(rows[10]!.id);
    expect(result.held.map((r) => r.id)).toEqual(expect.arrayContaining(rows.slice(1, 12).map((r) => r.id)));
    expect(result.outcomes.find((o) => o.row.id === rows[12]!.id)?.kind).toBe('delivered');
  });
});

import { isRejectedEvent } from '../realtime/broadcaster-error';
import { type BackoffOptions, backoffDelay } from './backoff';
import type { ClaimedRow } from './queries';

/** What became of one claimed row in a round. */
export type RowOutcome =
  | { kind: 'delivered'; row: ClaimedRow }
  /** Failed; due again after `delayMs`. */
  | { kind: 'retry'; row: ClaimedRow; error: unknown; attempts: number; delayMs: number }
  /** Given up: `rejected` when the service refused the event itself (at once), else out of attempts. */
  | { kind: 'dead'; row: ClaimedRow; error: unknown; attempts: number; rejected: boolean };

export interface DeliveryRoundOptions {
  /** Trigger these rows in one call; resolves with the error, or null when the service accepted them. */
  send(rows: ClaimedRow[]): Promise<unknown>;
  /** Most rows per `send` (the broadcaster's `maxBatchSize`). */
  batchSize: number;
  /** `send` calls in flight at once; conversations are spread over this many ordered lanes. */
  concurrency?: number;
  /** Failed attempts before a dead letter. */
  maxAttempts: number;
  backoff: BackoffOptions;
  /** Events over this many bytes of JSON are dead at once, unsent (Pusher's and the relay's limit). */
  maxPayloadBytes?: number;
  random?: () => number;
}

export interface DeliveryRoundResult {
  /** In the order they were decided. */
  outcomes: RowOutcome[];
  /** Rows not attempted: behind an earlier failed row of their conversation, or left by an outage. */
  held: ClaimedRow[];
  /** Transport failures in a row: the service looks down; the caller should pause. */
  outage: boolean;
}

/** Pusher's (and the relay's) limit on one event's data. */
export const MAX_EVENT_DATA_BYTES = 10 * 1024;

/**
 * One delivery round, without a database: rows in (claimed, in id order), outcomes out. Rows of one
 * conversation stay in one lane and go in order; a failed row holds the later rows of its
 * conversation (a retry must not be overtaken) but nothing else. A row the service refused for what
 * it is (too large, malformed) is dead at once and counts toward no outage; two transport failures
 * in a row (no answer, timeouts, 5xx) mean the service is down and end the round for every lane.
 *
 * @example
 * ```ts
 * const { outcomes, held, outage } = await deliverRows(rows, {
 *   send: async (batch) => broadcaster.triggerBatch(toEvents(batch)).then(() => null, (e) => e),
 *   batchSize: 10, concurrency: 4, maxAttempts: 10, backoff: { baseMs: 500, capMs: 60_000 },
 * });
 * ```
 */
export async function deliverRows(rows: ClaimedRow[], options: DeliveryRoundOptions): Promise<DeliveryRoundResult> {
  const maxPayloadBytes = options.maxPayloadBytes ?? MAX_EVENT_DATA_BYTES;
  const outcomes: RowOutcome[] = [];
  const held: ClaimedRow[] = [];
  const failedConversations = new Set<string>();
  let transportFailures = 0;
  let outage = false;

  const blocked = (row: ClaimedRow) => row.conversation_id !== null && failedConversations.has(row.conversation_id);
  const fail = (row: ClaimedRow, error: unknown, rejected: boolean) => {
    const attempts = row.attempts + 1;
    if (row.conversation_id !== null && !rejected) failedConversations.add(row.conversation_id);
    if (rejected || attempts >= options.maxAttempts) {
      outcomes.push({ kind: 'dead', row, error, attempts, rejected });
    } else {
      outcomes.push({ kind: 'retry', row, error, attempts, delayMs: backoffDelay(attempts, options.backoff, options.random) });
    }
    if (rejected) return;
    // Two failures in a row without a success: the broadcaster is down, not one event bad.
    if (++transportFailures >= 2) outage = true;
  };
  const delivered = (done: ClaimedRow[]) => {
    for (const row of done) outcomes.push({ kind: 'delivered', row });
    if (done.length > 0) transportFailures = 0;
  };

  async function sendChunk(chunk: ClaimedRow[]): Promise<void> {
    const error = await options.send(chunk);
    if (!error) return delivered(chunk);
    if (chunk.length === 1) return fail(chunk[0]!, error, isRejectedEvent(error));
    // One bad event must not sink its batch-mates: retry them one by one, in order.
    for (const row of chunk) {
      if (outage || blocked(row)) {
        held.push(row);
        continue;
      }
      const single = await options.send([row]);
      if (single) fail(row, single, isRejectedEvent(single));
      else delivered([row]);
    }
  }

  async function runLane(lane: ClaimedRow[]): Promise<void> {
    let chunk: ClaimedRow[] = [];
    const flush = async () => {
      const next = chunk;
      chunk = [];
      if (next.length > 0) await sendChunk(next);
    };
    for (const row of lane) {
      if (outage || blocked(row)) {
        held.push(row);
        continue;
      }
      const bytes = payloadBytes(row);
      if (bytes > maxPayloadBytes) {
        fail(row, new Error(`event data is ${bytes} bytes, over the ${maxPayloadBytes}-byte limit`), true);
        continue;
      }
      chunk.push(row);
      if (chunk.length >= options.batchSize) await flush();
      // A row already in the chunk may be of a conversation that failed meanwhile (another chunk):
      // it goes with its chunk; the next rows of that conversation are held above.
    }
    await flush();
  }

  await Promise.all(lanes(rows, Math.max(1, Math.floor(options.concurrency ?? 1))).map(runLane));
  return { outcomes, held, outage };
}

/** Rows spread over `count` lanes by conversation, each lane keeping id order. */
function lanes(rows: ClaimedRow[], count: number): ClaimedRow[][] {
  if (count === 1) return [rows];
  const out: ClaimedRow[][] = Array.from({ length: count }, () => []);
  const laneOf = new Map<string | null, number>();
  let next = 0;
  for (const row of rows) {
    let lane = laneOf.get(row.conversation_id);
    if (lane === undefined) {
      lane = next++ % count;
      laneOf.set(row.conversation_id, lane);
    }
    out[lane]!.push(row);
  }
  return out.filter((lane) => lane.length > 0);
}

function payloadBytes(row: ClaimedRow): number {
  return Buffer.byteLength(JSON.stringify(row.payload ?? null));
}

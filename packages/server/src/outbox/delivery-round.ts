import { isRejectedEvent } from '../realtime/broadcaster-error';
import { type BackoffOptions, backoffDelay } from './backoff';
import type { ClaimedRow } from './queries';
import { isOutboxStep } from './steps';

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
  /** `send` calls in flight at once; a conversation's calls still go one after another, in order. */
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
 * One delivery round, without a database: rows in (claimed, in id order), outcomes out. N rows go
 * in ceil(N / batchSize) calls, up to `concurrency` at once; rows of one conversation go in order; a failed row holds the later rows of its
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

  // A row over the size limit is dead at once, unsent; it holds nothing (the service would refuse it again).
  const sendable: ClaimedRow[] = [];
  for (const row of rows) {
    const bytes = payloadBytes(row);
    if (bytes > maxPayloadBytes) fail(row, new Error(`event data is ${bytes} bytes, over the ${maxPayloadBytes}-byte limit`), true);
    else sendable.push(row);
  }

  const chunks = packChunks(sendable, Math.max(1, Math.floor(options.batchSize)));
  const slots = semaphore(Math.max(1, Math.floor(options.concurrency ?? 1)));
  const done: Promise<void>[] = [];
  chunks.forEach((chunk, i) => {
    // A conversation spans consecutive chunks only: a chunk waits for the one before it when they
    // share one, so its events go after that chunk's (and are held if one of them failed there).
    const before = chunk.after ? done[i - 1]! : Promise.resolve();
    done.push(
      before.then(async () => {
        const release = await slots();
        try {
          const go: ClaimedRow[] = [];
          for (const row of chunk.rows) {
            if (outage || blocked(row)) held.push(row);
            else go.push(row);
          }
          if (go.length > 0) await sendChunk(go);
        } finally {
          release();
        }
      }),
    );
  });
  await Promise.all(done);
  return { outcomes, held, outage };
}

/**
 * Rows in chunks of `size` for one call each: N rows make ceil(N / size) calls whatever their
 * conversations (a step row is a chunk of its own). Rows are grouped by conversation (id order within one, conversations in order of
 * their first row), so a conversation's rows are in one chunk or in consecutive ones; `after` marks a
 * chunk that continues the previous chunk's last conversation and must wait for it.
 */
function packChunks(rows: ClaimedRow[], size: number): Array<{ rows: ClaimedRow[]; after: boolean }> {
  const groups = new Map<string | number, ClaimedRow[]>();
  for (const row of rows) {
    // Rows of no conversation have no order to keep: each is a group of its own.
    const key = row.conversation_id ?? -row.id;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const ordered = [...groups.values()].flat();
  const chunks: Array<{ rows: ClaimedRow[]; after: boolean }> = [];
  for (let i = 0; i < ordered.length; ) {
    const previous = ordered[i - 1];
    const first = ordered[i]!;
    // A step (steps.ts) is a chunk of its own: it waits for the chunk before it, and a failed step
    // holds the rows after it.
    let end = i + 1;
    if (!isOutboxStep(first)) while (end < Math.min(i + size, ordered.length) && !isOutboxStep(ordered[end]!)) end++;
    chunks.push({
      rows: ordered.slice(i, end),
      after: previous !== undefined && first.conversation_id !== null && previous.conversation_id === first.conversation_id,
    });
    i = end;
  }
  return chunks;
}

/** At most `limit` holders at once; `acquire()` resolves with the release. */
function semaphore(limit: number): () => Promise<() => void> {
  let free = limit;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return () => {
    if (free > 0) {
      free--;
      return Promise.resolve(release);
    }
    return new Promise((resolve) => waiting.push(() => resolve(release)));
  };
}

function payloadBytes(row: ClaimedRow): number {
  return Buffer.byteLength(JSON.stringify(row.payload ?? null));
}

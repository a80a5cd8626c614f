/**
 * One outbox row failed an attempt (`dead`: it is now a dead letter). Reported to the chat server's
 * `onError`; the broadcaster's error is the `cause`.
 */
export class OutboxDeliveryError extends Error {
  override readonly name = 'OutboxDeliveryError';
  readonly rowId: number;
  readonly event: string;
  readonly channel: string;
  readonly attempts: number;
  readonly dead: boolean;
  constructor(row: { id: number; event: string; channel: string }, attempts: number, dead: boolean, cause: unknown) {
    super(`outbox row ${row.id} (${row.event} to ${row.channel}) failed, attempt ${attempts}${dead ? ', now a dead letter' : ''}`, {
      cause,
    });
    this.rowId = row.id;
    this.event = row.event;
    this.channel = row.channel;
    this.attempts = attempts;
    this.dead = dead;
  }
}

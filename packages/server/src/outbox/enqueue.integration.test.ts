import pg from 'pg';
import { expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../test/kit/describe-each-database';
import { OUTBOX_NOTIFY_CHANNEL, enqueueEvents } from './enqueue';
import { until } from '../../test/kit/until';

describeEachDatabase('enqueueEvents', (target) => {
  const db = useTestDatabase(target);
  const event = (channel: string) => ({ conversationId: null, channel, event: 'conversation.updated', payload: { n: 1 } });

  it('writes rows only if the transaction commits (and NOTIFYs only then, with the schema)', async () => {
    const notified: Array<string | undefined> = [];
    let listener: pg.Client | null = null;
    if (target.name === 'postgres') {
      listener = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await listener.connect();
      listener.on('notification', (message) => notified.push(message.payload));
      await listener.query(`listen ${OUTBOX_NOTIFY_CHANNEL}`);
    }
    try {
      await expect(
        db()
          .kysely.transaction()
          .execute(async (trx) => {
            await enqueueEvents(trx, [event('private-user.rolled-back')], db().dialect);
            throw new Error('the change failed');
          }),
      ).rejects.toThrow('the change failed');
      await db()
        .kysely.transaction()
        .execute((trx) => enqueueEvents(trx, [event('private-user.committed')], db().dialect));
      const rows = await db().kysely.selectFrom('outbox').select('channel').where('channel', 'like', 'private-user.%ed').execute();
      expect(rows.map((r) => r.channel)).toEqual(['private-user.committed']);
      if (listener) {
        // Other test files share the database: only this schema's notifications count.
        const mine = () => notified.filter((payload) => payload === db().schema);
        await until('the NOTIFY of the committed transaction', () => mine().length >= 1, 2000);
        expect(mine()).toHaveLength(1);
      }
    } finally {
      await listener?.end();
    }
  });
});

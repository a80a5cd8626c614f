// Delivery of outbox rows in the bench's server process. Banter's own dispatcher (createChatServer
// wires it when a broadcaster is given) is used whenever the build has it; the stand-in below only
// keeps the bench usable on a build from before the dispatcher landed, and the report says which ran.
import { sql } from './kysely-sql.mjs';

export async function startDispatcher(chat, broadcaster, delivery) {
  if (chat.dispatcher) {
    return { kind: delivery === 'poll' ? 'banter, poll-only 1 s' : 'banter', stop: async () => {} };
  }
  const db = chat.db.kysely;
  let running = false;
  let again = false;
  let stopped = false;
  async function drain() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        for (;;) {
          const { rows } = await sql`
            with due as (
              select id from outbox where delivered_at is null and dead_at is null and next_attempt_at <= now()
              order by id limit 200 for update skip locked)
            update outbox o set delivered_at = now(), attempts = o.attempts + 1 from due where o.id = due.id
            returning o.id, o.channel, o.event, o.payload, o.socket_id`.execute(db);
          if (rows.length === 0) break;
          rows.sort((a, b) => Number(a.id) - Number(b.id));
          await broadcaster.triggerBatch(
            rows.map((r) => ({ channel: r.channel, name: r.event, data: r.payload, socketId: r.socket_id ?? undefined })),
          );
        }
      } while (again && !stopped);
    } catch (e) {
      if (!stopped) console.error('[bench dispatcher]', e);
    } finally {
      running = false;
    }
  }
  const unsubscribe = delivery === 'poll' ? () => {} : chat.outboxSignal.subscribe(() => void drain());
  const timer = setInterval(() => void drain(), delivery === 'poll' ? 1000 : 5000);
  return {
    kind: delivery === 'poll' ? 'bench stand-in, poll-only 1 s' : 'bench stand-in (no dispatcher in this build)',
    async stop() {
      stopped = true;
      unsubscribe();
      clearInterval(timer);
      while (running) await new Promise((r) => setTimeout(r, 10));
    },
  };
}

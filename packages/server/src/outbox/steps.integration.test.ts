import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ChatServer, createChatServer } from '../chat-server';
import { describeEachDatabase, useTestDatabase } from '../../test/kit/describe-each-database';
import { createRecordingBroadcaster } from '../../test/kit/recording-broadcaster';
import { TEST_SECRET } from '../../test/kit/test-server';
import { until } from '../../test/kit/until';

// A step (steps.ts) the fast path holds waits for the rows its commit wrote before it; when one of
// them fails there, the step is the sweep's, which takes it after that row's retry went through.
describeEachDatabase('an outbox step behind a failed publish', (target) => {
  const db = useTestDatabase(target);
  const broadcaster = createRecordingBroadcaster();
  // One log of what reached the service, events and disconnects, in order.
  const log: string[] = [];
  let failNext = false;
  const { triggerBatch, disconnectUser } = broadcaster;
  broadcaster.triggerBatch = async (events) => {
    if (failNext && events.some((e) => e.name === 'participant.removed')) {
      failNext = false;
      throw new Error('connect ECONNREFUSED');
    }
    for (const e of events) log.push(`${e.name} ${e.channel}`);
    return triggerBatch(events);
  };
  broadcaster.disconnectUser = async (userId) => {
    log.push(`disconnect ${userId}`);
    return disconnectUser(userId);
  };
  let chat: ChatServer;
  beforeAll(async () => {
    chat = createChatServer({
      database: db(),
      secret: TEST_SECRET,
      migrate: false,
      broadcaster,
      onError: () => {},
      dispatcher: { backoffBaseMs: 20, backoffCapMs: 40, pollIntervalMs: 50, fastPathGraceMs: 100 },
    });
    await chat.ready;
  });
  afterAll(async () => {
    await chat?.close();
  });

  it('the fast path leaves the step to the sweep, which disconnects once after participant.removed', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const [ann, ben] = [`ann-${suffix}`, `ben-${suffix}`];
    const { conversation } = await chat.api.createConversation({ createdBy: ann, participantIds: [ben], title: 'Crew' });
    await chat.dispatcher!.flush();
    log.length = 0;
    failNext = true;
    await chat.api.call('removeParticipant', ann, { conversationId: conversation.id, userId: ben });
    await until('the disconnect', () => log.includes(`disconnect ${ben}`));
    await chat.dispatcher!.flush();
    const removed = log.indexOf(`participant.removed private-user.${ben}`);
    expect(removed).toBeGreaterThanOrEqual(0);
    expect(log.indexOf(`disconnect ${ben}`)).toBeGreaterThan(removed);
    expect(log.filter((line) => line === `disconnect ${ben}`)).toHaveLength(1);
    expect(failNext).toBe(false);
  });
});

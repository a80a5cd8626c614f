import { sql } from 'kysely';
import type { ChatServer } from '../chat-server';

/** The demo's people. Ids are plain so `/api/dev/token?user=alice` is easy to type. */
const DEMO_USERS = [
  { id: 'alice', name: 'Alice' },
  { id: 'bob', name: 'Bob' },
  { id: 'carol', name: 'Carol' },
] as const;

type Line = [sender: 'alice' | 'bob' | 'carol', body: string];

// Alice and Bob ship a release: long enough (80 messages) that scrolling up loads older pages.
const ALICE_BOB_TOPICS: Line[][] = [
  [
    ['alice', 'Morning! Did the nightly build pass?'],
    ['bob', 'It did, all green except the flaky upload test again'],
    ['alice', 'That one again… I will look at it after standup'],
    ['bob', 'Thanks. It only fails on the slow runners'],
    ['alice', 'Timeout is 5 s, the upload takes 4.8 there'],
    ['bob', 'Ha, that explains it'],
    ['alice', 'Bumping it to 15 s and adding a progress assertion instead'],
    ['bob', 'Much better'],
  ],
  [
    ['bob', 'Can you review my PR for the billing page?'],
    ['alice', 'Sure, which one?'],
    ['bob', 'The one that moves invoices to the new table'],
    ['alice', 'On it'],
    ['alice', 'Left a few comments, mostly naming'],
    ['alice', 'One real question: what happens to invoices created during the migration?'],
    ['bob', 'Good catch. They go to the old table until the flag flips'],
    ['bob', 'I will add a backfill step for the window'],
    ['alice', 'Perfect, approve once that is in'],
    ['bob', 'Pushed'],
    ['alice', 'Approved'],
  ],
  [
    ['alice', 'Lunch?'],
    ['bob', 'Yes! The new ramen place?'],
    ['alice', 'Queue was 40 minutes last time'],
    ['bob', 'Tacos then'],
    ['alice', 'Tacos it is'],
    ['bob', 'Meet at the door at 12:30'],
  ],
  [
    ['bob', 'The staging database is at 92% disk'],
    ['alice', 'Again? We cleaned it last month'],
    ['bob', 'Audit logs. 40 GB of them'],
    ['alice', 'Let us keep 30 days and archive the rest to the bucket'],
    ['bob', 'I will write the job'],
    ['alice', 'Make it idempotent please, it will run every night'],
    ['bob', 'Of course'],
    ['bob', 'Job is running, down to 61%'],
    ['alice', 'Nice'],
  ],
  [
    ['alice', 'Customer call went well'],
    ['bob', 'What did they ask for?'],
    ['alice', 'Read receipts and typing indicators in the support chat'],
    ['bob', 'We have both now'],
    ['alice', 'Exactly, that is why it went well'],
    ['alice', 'They also want to embed it in their admin panel'],
    ['bob', 'Script tag, one line'],
    ['alice', 'And it passes their CSP, I checked'],
    ['bob', 'Strict one?'],
    ['alice', "script-src 'self', no inline anything"],
    ['bob', 'Good'],
  ],
  [
    ['bob', 'Release notes draft is in the doc'],
    ['alice', 'Reading'],
    ['alice', 'Two typos, and the changelog link is broken'],
    ['bob', 'Fixed'],
    ['alice', 'Ship it?'],
    ['bob', 'Waiting for the last CI run'],
    ['bob', 'Green'],
    ['alice', 'Tagging v1.4.0'],
    ['bob', 'Party time!'],
  ],
  [
    ['alice', 'Someone reported messages arriving twice after a reconnect'],
    ['bob', 'On which version?'],
    ['alice', '1.3.2, so before the fix'],
    ['bob', 'Phew. 1.4 fills the gap by seq, no duplicates'],
    ['alice', 'I will tell them to upgrade'],
    ['bob', 'Link them the changelog entry'],
    ['alice', 'Done'],
  ],
  [
    ['bob', 'Are you coming to the meetup on Thursday?'],
    ['alice', 'Yes, I am giving the lightning talk'],
    ['bob', 'About what?'],
    ['alice', 'Transactional outboxes. Ten minutes, one diagram'],
    ['bob', 'I will heckle politely'],
    ['alice', 'Please do, it keeps people awake'],
    ['bob', 'Slides ready?'],
    ['alice', 'Mostly. Need a better title'],
    ['bob', '"Nothing lost, nothing twice"'],
    ['alice', 'Stealing that'],
  ],
  [
    ['alice', 'Are we still on for the 3pm sync?'],
    ['bob', 'Yes, I just need 5 minutes to wrap up'],
    ['alice', 'No rush'],
    ['bob', 'Also: I moved the demo to the big screen in room 2'],
    ['alice', 'Great, see you there'],
    ['bob', 'Try typing in this window, the other side sees it live'],
    ['alice', 'And when you read it, my message turns "Read"'],
    ['bob', 'Exactly'],
    ['alice', 'Scroll up for the older history too'],
  ],
];

const GROUP_TITLE = 'Weekend trip';
const GROUP_LINES: Line[] = [
  ['carol', 'So, the lake or the mountains this weekend?'],
  ['bob', 'Mountains! The weather looks great'],
  ['alice', 'Mountains, but not the 6 am start'],
  ['carol', 'Deal, 8 am then'],
  ['bob', 'I can drive, there is room for four'],
  ['carol', 'I will bring snacks and the map'],
  ['carol', 'Who has the tent?'],
  ['bob', 'Me, I will check it has all its poles this time'],
];

const CAROL_ALICE_LINES: Line[] = [
  ['alice', 'Hi Carol, welcome to the team!'],
  ['carol', 'Thank you! Glad to be here'],
  ['carol', 'Quick question: where do I find the design files?'],
  ['carol', 'Also, is there a guide for setting up the dev environment?'],
  ['carol', 'Found the guide, never mind that one'],
];

export interface SeedResult {
  /** Messages written by this run (0 when everything was already there). */
  messages: number;
}

/**
 * Demo data on first start: Alice, Bob and Carol; Alice–Bob with ~80 messages (infinite scroll),
 * a group of the three, and Carol–Alice with messages Alice has not read (unread badges).
 * Idempotent: messages carry fixed client ids, and a conversation already complete is skipped.
 *
 * @example
 * await seedDemo(chat); // { messages: 93 } the first time, { messages: 0 } afterwards
 */
export async function seedDemo(chat: ChatServer): Promise<SeedResult> {
  await chat.ready;
  for (const user of DEMO_USERS) await chat.api.upsertUser(user);
  let written = 0;

  const direct = (await chat.api.createConversation({ createdBy: 'alice', participantIds: ['bob'] })).conversation;
  const directWritten = await seedConversation(chat, direct.id, direct.lastSeq, ALICE_BOB_TOPICS.flat(), 'ab', 2 * 60_000);
  if (directWritten > 0) {
    // Both have read their own conversation: the demo opens it, and new messages go Sent -> Read.
    await chat.api.markRead('alice', direct.id);
    await chat.api.markRead('bob', direct.id);
  }
  written += directWritten;

  // Groups are not unique like direct conversations: find ours by title before creating it.
  const page = await chat.api.listConversations('alice', { limit: 100 });
  let group = page.conversations.find((c) => c.kind === 'group' && c.title === GROUP_TITLE);
  group ??= (await chat.api.createConversation({ createdBy: 'carol', participantIds: ['alice', 'bob'], title: GROUP_TITLE })).conversation;
  written += await seedConversation(chat, group.id, group.lastSeq, GROUP_LINES, 'trip', 45 * 60_000);

  const carol = (await chat.api.createConversation({ createdBy: 'carol', participantIds: ['alice'] })).conversation;
  written += await seedConversation(chat, carol.id, carol.lastSeq, CAROL_ALICE_LINES, 'carol', 20 * 60_000);
  if (written > 0) {
    // Bob has read the group; Alice has not (her list shows the badges).
    await chat.api.markRead('bob', group.id);
  }
  return { messages: written };
}

async function seedConversation(
  chat: ChatServer,
  conversationId: string,
  lastSeq: number,
  lines: Line[],
  prefix: string,
  endsAgoMs: number,
): Promise<number> {
  if (lastSeq >= lines.length) return 0;
  let written = 0;
  for (const [index, [sender, body]] of lines.entries()) {
    // A fixed client id per line: a seed interrupted half-way completes on the next start, without duplicates.
    const result = await chat.api.sendMessage({ conversationId, senderId: sender, body, clientId: `seed-${prefix}-${index}` });
    if (result.created) written++;
  }
  if (written > 0) await backdate(chat, conversationId, lines.length, endsAgoMs);
  return written;
}

/**
 * Spread the seeded history over the past days, so the demo shows day separators and times as a
 * real conversation would (sending stamps every message with "now").
 */
async function backdate(chat: ChatServer, conversationId: string, count: number, endsAgoMs: number): Promise<void> {
  const end = Date.now() - endsAgoMs;
  // About three days for the long conversation, a few minutes apart for short ones.
  const step = count > 20 ? Math.floor((3 * 24 * 60 * 60_000) / count) : 7 * 60_000;
  const db = chat.db.kysely;
  await db.transaction().execute(async (trx) => {
    await sql`update messages set created_at = ${new Date(end).toISOString()}::timestamptz - (${count}::int - seq) * (${step}::int * interval '1 millisecond')
              where conversation_id = ${conversationId}`.execute(trx);
    const last = new Date(end).toISOString();
    await trx.updateTable('conversations').set({ last_message_at: last }).where('id', '=', conversationId).execute();
    await trx.updateTable('participants').set({ activity_at: last }).where('conversation_id', '=', conversationId).execute();
  });
}

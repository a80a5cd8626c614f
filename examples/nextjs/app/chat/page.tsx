import { cookies } from 'next/headers';
import { getChat, USER_COOKIE, USER_ID } from '../../lib/banter';
import { ChatThread } from './chat-thread';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * A chat page rendered on the server with the thread's latest messages already in the HTML, then
 * hydrated: the client component's hooks (@banter/react) take over live.
 */
export default async function ChatPage({ searchParams }: { searchParams: Promise<{ with?: string }> }) {
  const cookie = (await cookies()).get(USER_COOKIE)?.value;
  const user = cookie && USER_ID.test(cookie) ? cookie : null;
  if (!user) {
    return (
      <main>
        <p>
          Sign in first: <a href="/login?as=alice">alice</a> · <a href="/login?as=bob">bob</a>
        </p>
      </main>
    );
  }
  const peer = (await searchParams).with;
  const chatWith = peer && USER_ID.test(peer) && peer !== user ? peer : user === 'alice' ? 'bob' : 'alice';
  // On the server, in process: no HTTP and no token. The direct conversation is created on first use.
  const chat = await getChat();
  const { conversation } = await chat.api.createConversation({ createdBy: user, participantIds: [chatWith] });
  const page = await chat.api.listMessages(user, conversation.id, { limit: 30 });
  return (
    <main>
      <h1>
        {user} and {chatWith}
      </h1>
      <p>
        Rendered on the server, live after hydration (<a href="/">the widget page</a>).
      </p>
      <ChatThread conversationId={conversation.id} me={user} initialMessages={page?.messages ?? []} />
    </main>
  );
}

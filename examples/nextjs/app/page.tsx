import { cookies } from 'next/headers';
import { USER_COOKIE, USER_ID } from '../lib/banter';
import { ChatWidget } from './chat-widget';

export const dynamic = 'force-dynamic';

export default async function Home({ searchParams }: { searchParams: Promise<{ with?: string }> }) {
  const cookie = (await cookies()).get(USER_COOKIE)?.value;
  const user = cookie && USER_ID.test(cookie) ? cookie : null;
  const peer = (await searchParams).with;
  const chatWith = peer && USER_ID.test(peer) && peer !== user ? peer : user === 'alice' ? 'bob' : 'alice';
  return (
    <main>
      <h1>Next.js + Banter</h1>
      <p>
        Sign in as:{' '}
        {['alice', 'bob', 'carol'].map((id) => (
          <a key={id} href={`/login?as=${id}`} style={{ marginRight: 8 }}>
            {id}
          </a>
        ))}
      </p>
      {user ? (
        <>
          <p>
            Signed in as <b>{user}</b>, chatting with <b>{chatWith}</b> (<a href="/?with=carol">chat with carol</a>,{' '}
            <a href={`/chat?with=${chatWith}`}>the same chat server-rendered with @banter/react</a>).
          </p>
          <ChatWidget conversationWith={chatWith} />
        </>
      ) : (
        <p>Pick a user above, then open another one in a private window.</p>
      )}
    </main>
  );
}

// The widget asks here for a chat token of whoever is signed in to *your* app.
import { cookies } from 'next/headers';
import { getChat, USER_COOKIE, USER_ID } from '../../../lib/banter';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  // Replace with your auth: look up the signed-in user of your session.
  const user = (await cookies()).get(USER_COOKIE)?.value;
  if (!user || !USER_ID.test(user)) return Response.json({ error: 'sign in first' }, { status: 401 });
  const chat = await getChat();
  const token = await chat.api.createUserToken(user, { expiresIn: '1h', name: user });
  return Response.json({ token }, { headers: { 'cache-control': 'no-store' } });
}

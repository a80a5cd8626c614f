// Fake login: /login?as=alice signs you in as alice with a cookie. Replace with your auth.
import { type NextRequest, NextResponse } from 'next/server';
import { USER_COOKIE, USER_ID } from '../../lib/banter';

export function GET(request: NextRequest): NextResponse {
  const user = request.nextUrl.searchParams.get('as') ?? '';
  // A relative Location keeps the browser on the host it used (and the cookie with it).
  const response = new NextResponse(null, { status: 303, headers: { location: '/' } });
  if (USER_ID.test(user)) response.cookies.set(USER_COOKIE, user, { httpOnly: true, sameSite: 'lax', path: '/' });
  return response;
}

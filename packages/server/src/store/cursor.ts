/**
 * The conversation list's opaque cursor: the last row's (activity time in microseconds since the
 * epoch, conversation id), base64url-encoded. Microseconds, not a JS Date, so rows created within
 * the same millisecond are neither skipped nor repeated.
 */
export interface ListCursor {
  activityMicros: string;
  conversationId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(`${cursor.activityMicros}.${cursor.conversationId}`, 'utf8').toString('base64url');
}

/** Null when the text is not a cursor this server made. */
export function decodeCursor(text: string): ListCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  const match = /^(-?\d{1,19})\.(.+)$/.exec(decoded);
  if (!match || !UUID.test(match[2]!)) return null;
  return { activityMicros: match[1]!, conversationId: match[2]!.toLowerCase() };
}

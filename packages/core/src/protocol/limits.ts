/** Limits shared by client and server; the server enforces them, the client shows them. */
export const LIMITS = {
  /** Characters (UTF-16 code units, as `String.length` counts) in one message body. */
  messageLength: 4000,
  /** Characters in a conversation title. */
  titleLength: 200,
  /** Characters in a user name. */
  nameLength: 100,
  /** Characters in an avatar URL. */
  avatarUrlLength: 2048,
  /** Participants in one conversation, the creator included (a presence channel holds 100 members). */
  participants: 100,
  /** Participants added in one call (a `participant.added` event names them all). */
  participantsPerAdd: 20,
  /** Users mentioned in one message. */
  mentions: 20,
  /** Characters of a quoted message shown in a reply. */
  quoteExcerpt: 200,
  /** Bytes in one request body. */
  requestBytes: 16 * 1024,
  /** Page sizes. */
  pageDefault: 30,
  pageMax: 100,
} as const;

/** User ids are the host's: 1-128 characters from the Pusher channel-name alphabet. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_\-=@,.;]{1,128}$/;

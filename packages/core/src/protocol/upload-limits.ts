/** Upload limits of the protocol; a server may set a lower `maxBytes` (default 25 MB). */
export const UPLOAD_LIMITS = {
  /** Characters in a file name. */
  nameLength: 255,
  /** The largest file any Banter server accepts; the default limit is `defaultMaxBytes`. */
  maxBytes: 5 * 1024 * 1024 * 1024,
  defaultMaxBytes: 25 * 1024 * 1024,
  /** Files on one message. */
  perMessage: 10,
} as const;

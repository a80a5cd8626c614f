/**
 * Limits of reactions (issue 14), in a module without zod: the message lifecycle chunk
 * (features/message-lifecycle.ts) reads them without loading the schemas of protocol/lifecycle.ts.
 * A bundler's minifier inlines the number where the chunk uses it.
 */
/** How many of an emoji's people a summary names (`userIds`), oldest first. */
export const REACTION_NAMED_USERS = 10;

/** At most this many different emoji on one message, and this many UTF-16 units in one emoji. */
export const REACTION_LIMITS = { emojiPerMessage: 20, emojiLength: 32, namedUsers: REACTION_NAMED_USERS } as const;

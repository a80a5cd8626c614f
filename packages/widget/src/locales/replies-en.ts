// English strings of the replies chunk (chunks/replies.tsx: quotes, the thread panel, mention
// autocomplete). They ship in that chunk, not in widget.js; a locale or a host's `strings`
// translates them like any other key (Strings includes them), and the chunk falls back to these.
export const repliesEn = {
  replyingTo: 'Replying to {name}',
  cancelReply: 'Cancel reply',
  quoteOf: 'Quote of {name}, go to the message',
  quoteDeleted: 'message deleted',
  quoteFinding: 'Finding the message…',
  quoteMissing: 'The message is too far back or no longer here.',
  replies_one: '{count} reply',
  replies_other: '{count} replies',
  thread: 'Thread',
  closeThread: 'Close thread',
  threadReplies: 'Replies',
  olderReplies: 'Earlier replies',
  alsoSend: 'Also send to conversation',
  threadFailed: 'The thread could not be loaded.',
  mentionSuggestions: 'People to mention',
};

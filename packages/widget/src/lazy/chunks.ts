// The widget's lazy chunks (src/chunks/): big, rarely used UI that loads when first used. For
// bundlers these are dynamic imports; the script-tag build loads dist/widget.<name>.js instead
// (lazy-chunks.ts). Add a chunk here and as src/chunks/<name>.tsx; size.test.ts gives it a budget.
export const loadEmojiPicker = () => import('../chunks/emoji-picker');
export const loadSearchResults = () => import('../chunks/search-results');
export const loadAttachments = () => import('../chunks/attachments');
export const loadPeople = () => import('../chunks/people');
export const loadNotifications = () => import('../chunks/notifications');
export const loadMessageActions = () => import('../chunks/message-actions');
export const loadReplies = () => import('../chunks/replies');

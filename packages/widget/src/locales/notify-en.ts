// English strings of the notifications chunk (chunks/notifications.tsx). They ship in that chunk,
// not in widget.js; a locale or a host's `strings` may translate them (Strings includes them).
export const notifyEn = {
  notifyOn: 'Turn on notifications',
  notifyOff: 'Turn off notifications',
  notifyBlocked: 'Notifications are blocked in this browser’s site settings.',
  notifyEnabled: 'Notifications on',
  notifyDisabled: 'Notifications off',
  notifyTitle: 'New message from {name}',
};

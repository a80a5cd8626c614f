/** What a host allows of edits: none (`false`), any time (`{}`), or within N minutes of the send. */
export type EditPolicy = false | { withinMinutes?: number };

/** The longest edit window a host may set: a year (a larger number is a typo, not a policy). */
const MAX_EDIT_MINUTES = 525_600;

/**
 * Check the host's `messages.edit` option once, at startup: a bad value throws there, never per request.
 *
 * @example
 * ```ts
 * editPolicyOf(undefined); // {} (editing allowed any time)
 * editPolicyOf({ withinMinutes: 15 }); // { withinMinutes: 15 }
 * ```
 */
export function editPolicyOf(value: EditPolicy | undefined): EditPolicy {
  if (value === undefined) return {};
  if (value === false) return false;
  const minutes = value.withinMinutes;
  if (minutes !== undefined && !(Number.isFinite(minutes) && minutes > 0 && minutes <= MAX_EDIT_MINUTES)) {
    throw new TypeError(`banter: messages.edit.withinMinutes must be a number of minutes in (0, ${MAX_EDIT_MINUTES}]`);
  }
  return minutes === undefined ? {} : { withinMinutes: minutes };
}

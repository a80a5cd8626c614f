import { z } from 'zod';
import { LIMITS } from './limits';

// C0 controls (NUL included), DEL and C1 controls: PostgreSQL refuses NUL in text, and none of them
// belongs in a name or a URL. Lone surrogates are not Unicode text: JSON encoders and databases
// mangle or refuse them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The documented refusals of a profile field (names and avatar URLs). */
export const PROFILE_TEXT_ERRORS = {
  control: 'may not contain control characters (U+0000-U+001F, U+007F-U+009F)',
  surrogate: 'may not contain lone surrogates (it must be well-formed Unicode)',
} as const;

/**
 * Why a profile string is refused, or null when it is fine: too long, a control character, a lone
 * surrogate. `what` names the field in the message.
 *
 * @example
 * profileTextProblem('name', 'Ann\u0000', LIMITS.nameLength); // 'name may not contain control characters (...)'
 */
export function profileTextProblem(what: string, value: string, max: number): string | null {
  const problem = problemOf(value, max);
  return problem ? `${what} ${problem}` : null;
}

function problemOf(value: string, max: number): string | null {
  if (value.length > max) return `is longer than ${max} characters`;
  if (CONTROL.test(value)) return PROFILE_TEXT_ERRORS.control;
  if (LONE_SURROGATE.test(value)) return PROFILE_TEXT_ERRORS.surrogate;
  return null;
}

/**
 * The profile string with control characters and lone surrogates removed and the ends trimmed;
 * null when nothing is left. For claims Banter cannot refuse without locking the user out (a
 * token minted elsewhere, the host's `authenticate`).
 *
 * @example
 * cleanProfileText('Ann\u0000 '); // 'Ann'
 */
export function cleanProfileText(value: string): string | null {
  const cleaned = value.replace(CONTROLS, '').replace(LONE_SURROGATES, '').trim();
  return cleaned === '' ? null : cleaned;
}

const profileText = (max: number) =>
  z.string().superRefine((value, ctx) => {
    const problem = problemOf(value, max);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A display name: at most 100 characters, no control characters, well-formed Unicode. */
export const displayNameSchema = profileText(LIMITS.nameLength);
/** An avatar URL: at most 2,048 characters, no control characters, well-formed Unicode. */
export const avatarUrlSchema = profileText(LIMITS.avatarUrlLength);

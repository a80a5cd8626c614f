/**
 * A mistake in how the CLI was called (a bad flag, a missing setting): printed as one line,
 * never as a stack trace, and the process exits with code 2 (usage error, as in sysexits).
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * node:util parseArgs with errors a person can act on: an unknown flag or a missing value becomes
 * a CliError naming the flag, instead of parseArgs' stack trace.
 *
 * @example
 * parseCommandArgs(['--port', '4000'], { port: { type: 'string' } }, 'serve');
 * // -> { values: { port: '4000' }, positionals: [] }
 */
export function parseCommandArgs(args: string[], options: Options, command: string, maxPositionals = 0): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`banter ${command}: ${describeParseError(error)} (see banter ${command} --help)`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new CliError(`banter ${command}: unexpected argument "${parsed.positionals[maxPositionals]}" (see banter ${command} --help)`);
  }
  return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  // Node quotes the option as '--port', '-p, --port <value>' or '--dev': keep the long name.
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const flag = /--[\w-]+/.exec(quoted)?.[0] ?? /-\w/.exec(quoted)?.[0];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) return `unknown flag ${flag}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    return /argument missing/.test(message) ? `${flag} needs a value` : `${flag} does not take a value`;
  }
  // Fall back to the first line of Node's own message.
  return message.split('\n')[0] ?? message;
}

import { type DestinationStream, type Level, type LevelWithSilent, pino } from 'pino';

/**
 * What Banter needs of a logger: pino's method shapes (`logger.info({ requestId }, 'message')`),
 * so a host can pass its own pino (or a pino-compatible logger such as Fastify's `app.log`).
 */
export interface BanterLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
  child(bindings: Record<string, unknown>): BanterLogger;
}

export interface CreateLoggerOptions {
  /** Default: BANTER_LOG_LEVEL, else `info`; `silent` under a test runner unless BANTER_LOG_LEVEL says otherwise. */
  level?: LevelWithSilent;
  /** Where JSON lines go (default stdout); tests pass a stream to read them. */
  destination?: DestinationStream;
  env?: Record<string, string | undefined>;
}

const LEVELS = new Set<string>(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * Never logged, wherever they appear: credentials and message text. Banter does not pass bodies to
 * the logger in the first place; these paths catch what a host's own bindings might add.
 */
export const REDACT_PATHS = [
  'secret',
  'password',
  'token',
  'authorization',
  'body',
  '*.secret',
  '*.password',
  '*.token',
  '*.authorization',
  '*.cookie',
  '*.body',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'message.body',
  'payload.message.body',
];

/**
 * The log level from BANTER_LOG_LEVEL; default `info`, or `silent` when running under vitest or
 * with NODE_ENV=test (tests stay quiet unless asked with BANTER_LOG_LEVEL=debug).
 *
 * @example
 * logLevelFromEnv({ BANTER_LOG_LEVEL: 'debug' }); // 'debug'
 */
export function logLevelFromEnv(env: Record<string, string | undefined> = process.env): LevelWithSilent {
  const wanted = env.BANTER_LOG_LEVEL?.trim().toLowerCase();
  if (wanted) {
    if (!LEVELS.has(wanted)) {
      throw new TypeError(`banter: BANTER_LOG_LEVEL must be one of ${[...LEVELS].join(', ')} (got "${env.BANTER_LOG_LEVEL}")`);
    }
    return wanted as LevelWithSilent;
  }
  return env.VITEST || env.NODE_ENV === 'test' ? 'silent' : 'info';
}

/**
 * Banter's structured JSON logger (pino): one line per event, `requestId` on everything a request
 * caused, secrets and message bodies redacted.
 *
 * @example
 * const logger = createLogger({ level: 'debug' });
 * logger.info({ requestId: 'abc' }, 'request');
 * // {"level":"info","time":"2026-...","name":"banter","requestId":"abc","msg":"request"}
 */
export function createLogger(options: CreateLoggerOptions = {}): BanterLogger {
  const level = options.level ?? logLevelFromEnv(options.env);
  const config = {
    name: 'banter',
    level,
    // Level names, not numbers, and ISO times: readable in `kubectl logs` and Loki alike.
    formatters: { level: (label: string) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

/** A logger that drops everything (for code paths given no logger). */
export const silentLogger: BanterLogger = pino({ level: 'silent' as Level | 'silent' });

/** An error as log fields: message and code, never the request that caused it. */
export function errorFields(error: unknown): { err: { type: string; message: string; code?: string; cause?: string; stack?: string } } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    return {
      err: {
        type: error.name,
        message: error.message,
        ...(typeof code === 'string' ? { code } : {}),
        ...(cause ? { cause } : {}),
        ...(error.stack ? { stack: error.stack } : {}),
      },
    };
  }
  return { err: { type: typeof error, message: String(error) } };
}

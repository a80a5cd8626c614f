import type { BanterLogger } from '../observability/logger';

/**
 * `banter serve --dev`: the per-request log lines go to `debug`, so the default level shows the
 * start-up block and what went wrong, not a JSON line for every click in the demo
 * (`BANTER_LOG_LEVEL=debug` brings them back). Everything else is logged as given.
 *
 * @example
 * const logger = requestsAtDebug(createLogger());
 * logger.info({ route: '/me', status: 200 }, 'request'); // logged at debug
 */
export function requestsAtDebug(logger: BanterLogger): BanterLogger {
  return {
    debug: (object, message) => logger.debug(object, message),
    info: (object, message) => (message === 'request' ? logger.debug(object, message) : logger.info(object, message)),
    warn: (object, message) => logger.warn(object, message),
    error: (object, message) => logger.error(object, message),
    child: (bindings) => requestsAtDebug(logger.child(bindings)),
  };
}

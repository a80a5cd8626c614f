import { describe, expect, it } from 'vitest';
import type { BanterLogger } from '../observability/logger';
import { requestsAtDebug } from './dev-logger';

function recorder(lines: string[], prefix = ''): BanterLogger {
  const at = (level: string) => (_object: object, message?: string) => void lines.push(`${prefix}${level} ${message}`);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => recorder(lines, 'child ') };
}

describe('requestsAtDebug', () => {
  it('moves request lines to debug, in children too, and leaves the rest alone', () => {
    const lines: string[] = [];
    const logger = requestsAtDebug(recorder(lines));
    logger.info({ status: 200 }, 'request');
    logger.info({}, 'outbox dispatcher started');
    logger.warn({}, 'slow');
    logger.child({ component: 'http' }).info({ status: 404 }, 'request');
    expect(lines).toEqual(['debug request', 'info outbox dispatcher started', 'warn slow', 'child debug request']);
  });
});

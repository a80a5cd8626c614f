import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, errorFields, logLevelFromEnv } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('reads BANTER_LOG_LEVEL, is silent under a test runner by default, and refuses unknown levels', () => {
    expect(logLevelFromEnv({ BANTER_LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ VITEST: 'true' })).toBe('silent');
    expect(logLevelFromEnv({ VITEST: 'true', BANTER_LOG_LEVEL: 'warn' })).toBe('warn');
    expect(() => logLevelFromEnv({ BANTER_LOG_LEVEL: 'loud' })).toThrow(/BANTER_LOG_LEVEL must be one of/);
  });

  it('writes JSON lines with level names and ISO times, filtered by level', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'info', destination });
    logger.debug({ requestId: 'r1' }, 'hidden');
    logger.child({ component: 'outbox' }).warn({ requestId: 'r2' }, 'shown');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', name: 'banter', component: 'outbox', requestId: 'r2', msg: 'shown' });
    expect(Number.isNaN(Date.parse(String(lines[0]!.time)))).toBe(false);
  });

  it('redacts credentials and message bodies', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'info', destination }).info(
      { secret: 's', body: 'hello', message: { body: 'hi', id: 'm1' }, headers: { authorization: 'Bearer x', accept: '*/*' } },
      'x',
    );
    expect(lines[0]).toMatchObject({
      secret: '[redacted]',
      body: '[redacted]',
      message: { body: '[redacted]', id: 'm1' },
      headers: { authorization: '[redacted]', accept: '*/*' },
    });
  });

  it('turns errors into fields with their cause', () => {
    const error = new Error('outbox row 1 failed', { cause: new Error('HTTP 401') });
    expect(errorFields(error).err).toMatchObject({ type: 'Error', message: 'outbox row 1 failed', cause: 'HTTP 401' });
    expect(errorFields('plain').err).toEqual({ type: 'string', message: 'plain' });
  });
});

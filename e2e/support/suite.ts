import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { StandaloneServerOptions } from '../../packages/server/src/standalone/standalone-server';
import { launchChromium } from './browser';
import { type E2eServer, startE2eServer } from './server';

/** The server and the browser of one test file. */
export interface E2eSuite {
  readonly server: E2eServer;
  readonly browser: Browser;
}

/**
 * Registers a test file's hooks: `startE2eServer(options)` and Chromium started together before
 * its tests (3 minutes allowed), the browser closed and the server stopped after them. Both answer
 * in tests and in hooks registered after this call.
 *
 * @example
 * const e2e = useE2e({ pages: { '/rita.html': widgetPage(rita) } });
 * beforeAll(async () => { samToken = await e2e.server.token(sam); });
 */
export function useE2e(options: Partial<StandaloneServerOptions> = {}): E2eSuite {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(options), launchChromium()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  const started = () => {
    if (!server || !browser) throw new Error('the e2e server and browser are not started yet: use them in a test or a later hook');
    return { server, browser };
  };
  return {
    get server() {
      return started().server;
    },
    get browser() {
      return started().browser;
    },
  };
}

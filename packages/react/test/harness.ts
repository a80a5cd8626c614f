import type { ChatClient } from '@banter/core';
import { cleanup } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { DatabaseTarget } from '@banter/server/testing';
import { type ChatStack, startChatStack } from '../../core/test/chat-stack';
import { until } from '../../server/test/kit/until';

// The one polling wait of the tests (server, core and react share it).
export { until };

// The hooks update from a real server and relay, asynchronously: that is not a test's act() scope.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The real server and relay, with the DOM's page on their origin (the app serves the API itself). */
export interface ReactStack {
  stack: ChatStack;
  /** A real client (pusher-js imported by the client itself, as an app does), connected. */
  connect(name: string): Promise<{ client: ChatClient; userId: string }>;
  close(): Promise<void>;
}

export async function startReactStack(target: DatabaseTarget): Promise<ReactStack> {
  const stack = await startChatStack(target);
  // happy-dom refuses cross-origin fetches without CORS headers, as a browser would: put the page
  // on the API's origin, like an app served by the same host.
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${new URL(stack.url).origin}/`);
  return {
    stack,
    async connect(name) {
      // pusher-js imported by the client itself, as an app does.
      const { client, userId } = await stack.connect(name, { realtime: undefined });
      return { client, userId };
    },
    close: () => stack.close(),
  };
}

/**
 * Registers the hooks of a describe block: the stack started on `target` before its tests (a
 * minute allowed), the rendered trees cleaned up after each test, the stack closed after them all.
 * The stack answers in tests and in hooks registered after this call.
 *
 * @example
 * const rs = useReactStack(target);
 * it('…', async () => { const alice = await rs.connect('alice'); });
 */
export function useReactStack(target: DatabaseTarget): ReactStack {
  let started: ReactStack | undefined;
  beforeAll(async () => {
    started = await startReactStack(target);
  }, 60_000);
  afterEach(cleanup);
  afterAll(() => started?.close());
  const rs = () => {
    if (!started) throw new Error('the react stack is not started yet: use it in a test or a later hook');
    return started;
  };
  return {
    get stack() {
      return rs().stack;
    },
    connect: (name) => rs().connect(name),
    close: () => rs().close(),
  };
}

import type { ChatClient } from '@banter/core';
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

import type { PresenceHandle, RealtimeTransport } from './realtime';

/**
 * With `createChatClient({ debug: true })`: the realtime transport, logging what a developer asks
 * when messages do not arrive: which channel was subscribed, when the subscription (re)succeeded or
 * failed, and presence joins and leaves.
 *
 * @example
 * const transport = withSubscriptionLog(await connectRealtime(), (...args) => console.info('[banter]', ...args));
 */
export function withSubscriptionLog(transport: RealtimeTransport, log: (...args: unknown[]) => void): RealtimeTransport {
  return {
    get state() {
      return transport.state;
    },
    onStateChange: (listener) => transport.onStateChange(listener),
    subscribeUser(userId, handlers) {
      log(`subscribing private-user.${userId}`);
      const unsubscribe = transport.subscribeUser(userId, {
        event: handlers.event,
        subscribed() {
          log(`subscribed private-user.${userId}`);
          handlers.subscribed();
        },
        error(error) {
          log(`subscription to private-user.${userId} failed:`, error);
          handlers.error(error);
        },
      });
      return () => {
        log(`unsubscribing private-user.${userId}`);
        unsubscribe();
      };
    },
    joinPresence(conversationId, handlers): PresenceHandle {
      log(`joining presence-conversation.${conversationId}`);
      const handle = transport.joinPresence(conversationId, handlers);
      return {
        typing: (userId) => handle.typing(userId),
        leave() {
          log(`leaving presence-conversation.${conversationId}`);
          handle.leave();
        },
      };
    },
    close: () => transport.close(),
  };
}

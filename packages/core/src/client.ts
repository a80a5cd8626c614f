import type { ChatClient, ChatClientOptions } from './types';

/**
 * Creates the chat client.
 *
 * @example
 * const client = createChatClient({ url: 'https://host.example/api', token });
 */
export function createChatClient(options: ChatClientOptions): ChatClient {
  void options;
  throw new Error('createChatClient: not implemented yet');
}

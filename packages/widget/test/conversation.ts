import { cleanup, fireEvent } from '@testing-library/preact';
import { afterEach, beforeEach } from 'vitest';
import { createHarness, type Harness } from './harness';
import { installLayout } from './layout';
import type { renderConversation } from './render';

/**
 * Registers the layout and cleanup hooks of a conversation test file and returns its `setup`:
 * me and Ann in a direct conversation (Bob joins for groups), with `count` messages from Ann, of which
 * I read `read` (all unless `unread`).
 *
 * @example
 * const setup = useConversationSetup();
 * it('…', () => { const { h, id } = setup({ count: 3 }); });
 */
export function useConversationSetup() {
  let uninstall: () => void;
  const clients: Harness[] = [];
  beforeEach(() => {
    uninstall = installLayout();
  });
  afterEach(() => {
    cleanup();
    uninstall();
    while (clients.length) clients.pop()!.client.close();
  });
  return (options: { count?: number; group?: boolean; unread?: boolean; read?: number } = {}) => {
    let id = '';
    const h = createHarness((api) => {
      api.addUser('ann', 'Ann Lee');
      api.addUser('bob', 'Bob Stone');
      id = options.group ? api.addConversation(['me', 'ann', 'bob'], { title: 'Team' }) : api.addConversation(['me', 'ann']);
      for (let i = 1; i <= (options.count ?? 0); i++) api.post(id, 'ann', `message ${i}`);
      // Read up to `read`, or all of them unless the test wants unread messages (they open at an "Unread messages" divider).
      if (options.read !== undefined) api.read(id, 'me', options.read);
      else if (!options.unread) api.read(id, 'me', options.count ?? 0);
    });
    clients.push(h);
    return { h, id };
  };
}

/** Types `text` into the composer and presses Enter. */
export async function sendText(view: ReturnType<typeof renderConversation>, text: string) {
  const box = await view.findByLabelText('Message');
  fireEvent.input(box, { target: { value: text } });
  fireEvent.keyDown(box, { key: 'Enter' });
}

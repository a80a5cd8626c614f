import type { ChatClient, Conversation } from '@banter/core';
import { cleanup, fireEvent, render } from '@testing-library/preact';
import { afterEach, expect, it, vi } from 'vitest';
import { Avatar } from '../components/avatar';
import { WidgetContext, type WidgetContextValue } from '../context';
import { createTranslator } from '../i18n';
import { participant } from '../../test/chunk-fixtures';
import { GroupEditor } from './people';

const member = (id: string, role: 'member' | 'admin' = 'member') => participant(id, id, role);
const group = (ids: string[]) =>
  ({
    id: 'c1',
    kind: 'group',
    title: 'Crew',
    participants: [member('me', 'admin'), ...ids.map((id) => member(id))],
  }) as unknown as Conversation;

afterEach(cleanup);

it("a removed person's row going first (by the event, the reply still out) leaves focus in the dialog, so Escape still closes it", async () => {
  // The reply never comes: only the store's new copy removes the row.
  const removeParticipant = vi.fn(() => new Promise<void>(() => {}));
  const client = { conversations: { removeParticipant } } as unknown as ChatClient;
  const value: WidgetContextValue = { client, tr: createTranslator('en'), announce: () => {}, Avatar, loadEmojiPicker: vi.fn() };
  const onClose = vi.fn();
  const editor = (conversation: Conversation) => (
    <WidgetContext.Provider value={value}>
      <GroupEditor conversation={conversation} meId="me" onClose={onClose} />
    </WidgetContext.Provider>
  );
  const view = render(editor(group(['hans'])));
  const remove = view.getByRole('button', { name: 'Remove hans from the group' });
  remove.focus();
  fireEvent.click(remove);
  expect(removeParticipant).toHaveBeenCalledWith('c1', 'hans');

  view.rerender(editor(group([])));
  expect(view.queryByRole('button', { name: 'Remove hans from the group' })).toBeNull();
  expect(document.activeElement).toBe(view.getByRole('textbox', { name: 'Group name' }));
  fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
  expect(onClose).toHaveBeenCalledOnce();
});

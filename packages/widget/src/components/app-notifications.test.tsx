import { waitFor } from '@testing-library/preact';
import { afterEach, expect, it, vi } from 'vitest';
import { shadowOf } from '../../test/dom';
import { createHarness } from '../../test/harness';
import { mount } from '../mount';
import { OPEN_MESSAGE } from '../notify/open-conversation';

afterEach(() => {
  Reflect.deleteProperty(navigator, 'serviceWorker');
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

it("a closed popup opens at a notification's conversation (the service worker's click), into its composer", async () => {
  vi.stubGlobal('Notification', { permission: 'default', requestPermission: async () => 'default' });
  const worker = Object.assign(new EventTarget(), { startMessages: vi.fn() });
  Object.defineProperty(navigator, 'serviceWorker', { configurable: true, value: worker });
  let ann = '';
  const h = createHarness((api) => {
    api.addUser('ann', 'Ann Lee');
    ann = api.addConversation(['me', 'ann']);
    api.post(ann, 'ann', 'Are you around?');
  });
  const el = document.createElement('div');
  document.body.append(el);
  const widget = mount(el, { client: h.client, notifications: { serviceWorker: false } });
  const s = shadowOf(el);
  await s.findByRole('button', { name: /^Open chat/ });
  expect(s.queryByRole('dialog')).toBeNull();
  // The chunk listens once it has loaded.
  await waitFor(() => expect(worker.startMessages).toHaveBeenCalled());
  worker.dispatchEvent(new MessageEvent('message', { data: { type: OPEN_MESSAGE, conversationId: ann } }));
  await s.findByText('Are you around?');
  expect(s.getByRole('dialog')).toBeTruthy();
  expect(h.api.requests).toContain(`GET /conversations/${ann}`);
  await waitFor(() => expect(s.root.activeElement).toBe(s.getByRole('textbox', { name: 'Message' })));
  widget.unmount();
  h.client.close();
});

it("a widget kept to one conversation opens only that one: another conversation's notification leaves it closed", async () => {
  vi.stubGlobal('Notification', { permission: 'default', requestPermission: async () => 'default' });
  const worker = Object.assign(new EventTarget(), { startMessages: vi.fn() });
  Object.defineProperty(navigator, 'serviceWorker', { configurable: true, value: worker });
  let ann = '';
  let bob = '';
  const h = createHarness((api) => {
    api.addUser('ann', 'Ann Lee');
    api.addUser('bob', 'Bob Roe');
    ann = api.addConversation(['me', 'ann']);
    bob = api.addConversation(['me', 'bob']);
    api.post(ann, 'ann', 'Are you around?');
    api.post(bob, 'bob', 'From Bob');
  });
  const el = document.createElement('div');
  document.body.append(el);
  const widget = mount(el, { client: h.client, conversationWith: 'ann', notifications: { serviceWorker: false } });
  const s = shadowOf(el);
  await s.findByRole('button', { name: /^Open chat/ });
  await waitFor(() => expect(worker.startMessages).toHaveBeenCalled());
  await waitFor(() => expect(h.client.store.getSnapshot().conversations[ann]).toBeTruthy());

  worker.dispatchEvent(new MessageEvent('message', { data: { type: OPEN_MESSAGE, conversationId: bob } }));
  // The server was asked (the user is in it), and still nothing opened.
  await waitFor(() => expect(h.api.requests).toContain(`GET /conversations/${bob}`));
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(s.queryByRole('dialog')).toBeNull();
  expect(s.queryByText('From Bob')).toBeNull();

  worker.dispatchEvent(new MessageEvent('message', { data: { type: OPEN_MESSAGE, conversationId: ann } }));
  await s.findByText('Are you around?');
  expect(s.getByRole('dialog')).toBeTruthy();
  widget.unmount();
  h.client.close();
});

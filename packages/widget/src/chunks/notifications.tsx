// Lazy chunk: browser notifications, loaded only with the widget's `notifications` option
// (docs/widget.md#notifications). <Notifications> shows a message from someone else as a browser
// notification (and beeps, with `sound`) while the page is hidden, and opens the conversation of a
// notification clicked (its own, or the service worker's); <NotifyToggle> is the switch in the
// conversation list's header that opts in (permission, Web Push) and out.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useWidget } from '../context';
import { notifyEn } from '../locales/notify-en';
import { beep, unlockBeep } from '../notify/beep';
import { conversationFromUrl, onWorkerOpen } from '../notify/open-conversation';
import { isOptedIn, optIn, optOut } from '../notify/opt-in';
import type { WidgetNotificationOptions } from '../options';

type Key = keyof typeof notifyEn;

/** The option as an object: `true` is every default. */
function useOptions(): Required<WidgetNotificationOptions> {
  const option = useWidget().notifications;
  const o = typeof option === 'object' ? option : {};
  return { serviceWorker: o.serviceWorker ?? '/banter-sw.js', sound: !!o.sound };
}

/** A string of this chunk: the locale's or the host's, else English. */
function useSay() {
  const { tr } = useWidget();
  return (key: Key, name = '') => ((tr.t(key) as string | undefined) ?? notifyEn[key]).replace('{name}', name);
}

export interface NotificationsProps {
  /** Shows the conversation (the server answered it: the user may see it). */
  onOpen(conversationId: string): void;
}

/**
 * While the page is hidden, each new message from someone else: a notification, and a beep with
 * `sound`. A click on one, on the service worker's (posted to this tab) or the page opened by the
 * worker's (`?banter-conversation=`): `onOpen`, once the server answered the conversation (one the
 * user is not in answers 404: nothing opens).
 */
export function Notifications(props: NotificationsProps) {
  const { client } = useWidget();
  const { sound } = useOptions();
  const say = useSay();
  const onOpen = useRef(props.onOpen);
  onOpen.current = props.onOpen;
  const open = (id: string) =>
    client.conversations.get(id).then(
      () => onOpen.current(id),
      (error: { status?: number }) => {
        // 404: not a conversation of this user (another widget's, a stale link); else say why.
        if (error?.status !== 404) console.warn('[banter] could not open the conversation:', error);
      },
    );
  useEffect(() => {
    const id = conversationFromUrl();
    if (id) void open(id);
    return onWorkerOpen(open);
  }, [client]);
  useEffect(() => {
    const doc = document;
    const sub = client.on('message', ({ conversationId, message }) => {
      const state = client.store.getSnapshot();
      const me = state.me?.id;
      const conversation = state.conversations[conversationId]?.conversation;
      if (!me || message.senderId === me || doc.visibilityState !== 'hidden' || conversation?.muted) return;
      if (sound) beep();
      if (!isOptedIn(me)) return;
      const sender = conversation?.participants.find((p) => p.user.id === message.senderId)?.user;
      const name = sender?.name?.trim() || message.senderId;
      // One per conversation (tag): a second message replaces the first rather than stacking.
      const shown = new Notification(say('notifyTitle', name), { body: message.body, tag: `banter:${conversationId}` });
      shown.onclick = () => {
        window.focus();
        shown.close();
        void open(conversationId);
      };
    });
    return () => sub.unsubscribe();
  }, [client, sound]);
  return null;
}

/** The switch: on asks for permission (this click is the gesture browsers require) and subscribes to push. */
export function NotifyToggle() {
  const { client, announce } = useWidget();
  const { serviceWorker, sound } = useOptions();
  const say = useSay();
  const me = client.store.getSnapshot().me?.id ?? '';
  const [on, setOn] = useState(() => isOptedIn(me));
  const [busy, setBusy] = useState(false);
  const [blocked, setBlocked] = useState(false);
  // The choice is per user: read again once the user is known (or another signs in).
  useEffect(() => setOn(isOptedIn(me)), [me]);
  if (typeof Notification === 'undefined' || !me) return null;
  const toggle = async () => {
    if (sound) unlockBeep();
    setBusy(true);
    try {
      if (on) {
        setOn(false);
        announce(say('notifyDisabled'));
        await optOut(client.http, me, serviceWorker).catch((error: unknown) => console.warn('[banter] could not unsubscribe:', error));
      } else {
        const result = await optIn(client.http, me, serviceWorker).catch((error: unknown) => {
          // Push failed; notifications while the page is open still work.
          console.warn('[banter] Web Push is unavailable:', error);
          return isOptedIn(me) ? 'on' : 'blocked';
        });
        setBlocked(result === 'blocked');
        setOn(result === 'on');
        announce(say(result === 'on' ? 'notifyEnabled' : 'notifyBlocked'));
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      class="icon"
      aria-pressed={on}
      aria-label={say(on ? 'notifyOff' : 'notifyOn')}
      title={blocked ? say('notifyBlocked') : say(on ? 'notifyOff' : 'notifyOn')}
      disabled={busy}
      onClick={() => void toggle()}
    >
      {on ? '🔔' : '🔕'}
    </button>
  );
}

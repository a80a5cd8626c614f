import { useEffect, useState } from 'preact/hooks';
import { useWidget } from '../context';
import { useStore } from '../use-store';

const never = { getSnapshot: () => false, subscribe: () => () => {}, reset() {} };

/**
 * Says so as soon as the connection is in doubt; the client queues sends meanwhile. Offline: the
 * browser's network is gone or the socket gave up. Reconnecting: the socket dropped after it was
 * connected (a stopped server closes it at once), or a request got no answer.
 */
export function ConnectionBanner() {
  const { client, tr, health } = useWidget();
  const { connection } = useStore(client.store);
  const failing = useStore(health ?? never);
  // The browser knows at once when the network is gone; the socket only after its timeouts.
  const [online, setOnline] = useState(() => typeof navigator === 'undefined' || navigator.onLine !== false);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine !== false);
    addEventListener('online', update);
    addEventListener('offline', update);
    return () => {
      removeEventListener('online', update);
      removeEventListener('offline', update);
    };
  }, []);
  const offline = !online || connection === 'offline' || connection === 'unavailable';
  const dropped = connection === 'connecting' && client.connection.history.some((h) => h.state === 'connected');
  // The socket (re)connected: the server is back, whatever an earlier request met.
  useEffect(() => {
    if (connection === 'connected') health?.reset();
  }, [connection]);
  if (!offline && !dropped && !failing) return null;
  return (
    <p class="banner" role="status">
      {tr.t(offline ? 'offline' : 'reconnecting')}
    </p>
  );
}

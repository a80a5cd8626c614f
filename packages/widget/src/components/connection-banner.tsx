import { useEffect, useState } from 'preact/hooks';
import { useWidget } from '../context';
import { useStore } from '../use-store';

/** Says so when the connection is down; the client queues sends meanwhile. */
export function ConnectionBanner() {
  const { client, tr } = useWidget();
  const { connection } = useStore(client.store);
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
  if (online && connection !== 'offline' && connection !== 'unavailable') return null;
  return (
    <p class="banner" role="status">
      {tr.t('offline')}
    </p>
  );
}

import { useWidget } from '../context';
import { useStore } from '../use-store';

/** Says so when the realtime connection is down; sends are queued meanwhile by the client. */
export function ConnectionBanner() {
  const { client, tr } = useWidget();
  const { connection } = useStore(client.store);
  if (connection !== 'offline' && connection !== 'unavailable') return null;
  return (
    <p class="banner" role="status">
      {tr.t('offline')}
    </p>
  );
}

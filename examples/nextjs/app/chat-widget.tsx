'use client';

import { mount } from '@banter/widget';
import { useEffect, useRef } from 'react';

/** The Banter widget in a client component: mounted into a div, unmounted with the component. */
export function ChatWidget({ conversationWith }: { conversationWith?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const widget = mount(ref.current!, {
      url: '/api/chat',
      // Your backend mints the token for the signed-in user (app/api/chat-token/route.ts).
      getToken: async () => {
        const res = await fetch('/api/chat-token', { cache: 'no-store' });
        if (!res.ok) throw new Error(`chat token: HTTP ${res.status}`);
        return ((await res.json()) as { token: string }).token;
      },
      mode: 'inbox',
      conversationWith,
    });
    return () => widget.unmount();
  }, [conversationWith]);
  return <div ref={ref} style={{ height: '32rem', border: '1px solid #ddd', borderRadius: 8 }} />;
}

/** @jsxImportSource react */
import type { ChatClient } from '@banter/core';
import { databaseTargets } from '@banter/server/testing';
import { cleanup, render, renderHook, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { useReactStack, until } from '../test/harness';
import { useChatClient } from './context';
import { BanterProvider } from './provider';
import { useConnectionState } from './use-status';

describe('BanterProvider without a server', () => {
  afterEach(cleanup);

  it('useChatClient outside a provider says what is missing', () => {
    expect(() => renderHook(() => useChatClient())).toThrow(/no <BanterProvider> above this component/);
  });

  it('refuses client and options together', () => {
    const options = { url: '/api', token: 't' };
    expect(() => render(<BanterProvider client={null} options={options} />)).toThrow(/either client or options/);
  });

  it('with client={null} the hooks render their empty state', () => {
    const { result } = renderHook(() => ({ client: useChatClient(), connection: useConnectionState() }), {
      wrapper: ({ children }) => <BanterProvider client={null}>{children}</BanterProvider>,
    });
    expect(result.current).toEqual({ client: null, connection: 'connecting' });
  });
});

const seen: (ChatClient | null)[] = [];
function Probe() {
  const client = useChatClient();
  seen.push(client);
  return <p data-testid="state">{useConnectionState()}</p>;
}

for (const target of databaseTargets()) {
  describe(`BanterProvider options (${target.name})`, () => {
    const rs = useReactStack(target);

    it('creates its client after mounting (StrictMode too), connects it and closes it on unmount', async () => {
      const token = await rs.stack.token(rs.stack.userId('dora'));
      seen.length = 0;
      const view = render(
        <StrictMode>
          <BanterProvider options={{ url: rs.stack.url, token }}>
            <Probe />
          </BanterProvider>
        </StrictMode>,
      );
      expect(seen[0]).toBeNull(); // the first render (the one a server would make) has no client
      await until('connected', () => screen.getByTestId('state').textContent === 'connected');
      const client = seen.at(-1)!;
      expect(client.me?.id).toBe(rs.stack.userId('dora'));
      // StrictMode mounted the effect twice: the first client was closed, one stays.
      const clients = new Set(seen.filter(Boolean));
      expect(clients.size).toBeLessThanOrEqual(2);
      view.unmount();
      await until('closed', () => client.connection.state !== 'connected');
    });
  });
}

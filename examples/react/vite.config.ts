import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `vite` (dev) talks to `pnpm serve` on port 3000: the API, the token route and the relay's
// WebSocket are proxied there. `pnpm start` builds and lets server.ts serve everything itself.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/chat-token': 'http://127.0.0.1:3000',
      '/app': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
});

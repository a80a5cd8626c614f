import { defineProject } from 'vitest/config';
import { alias } from '../../vitest.config';

export default defineProject({
  resolve: { alias },
  // The repository's default JSX is Preact's (the widget); this package is React.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  test: {
    name: 'react',
    // Hooks render into happy-dom; the *.ssr.test.tsx files ask for plain Node themselves.
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    // Each test waits for a real server, relay and pusher-js (bounded waits inside): on a loaded
    // 2-core machine that is seconds, past vitest's default 5 s.
    testTimeout: 30_000,
  },
});

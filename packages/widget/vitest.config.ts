import { defineProject } from 'vitest/config';
import { alias } from '../../vitest.config';

export default defineProject({
  resolve: { alias },
  test: {
    name: 'widget',
    // Components render into a real-enough DOM (Shadow DOM, adoptedStyleSheets, ResizeObserver).
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
  },
});

import { defineProject } from 'vitest/config';
import { alias } from '../../vitest.config';

export default defineProject({
  resolve: { alias },
  test: {
    name: 'core',
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
  },
});

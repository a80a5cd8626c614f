import { defineProject } from 'vitest/config';
import { alias } from '../vitest.config';

export default defineProject({
  resolve: { alias },
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});

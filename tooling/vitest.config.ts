import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'tooling',
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    // The checks start their own processes (Biome, dependency-cruiser, publint, attw).
    testTimeout: 180_000,
  },
});

import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'tooling',
    include: ['**/*.test.ts'],
    // The checks start their own processes (Biome, dependency-cruiser, publint, attw).
    testTimeout: 120_000,
  },
});

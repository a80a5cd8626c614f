import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// vitest 5 prints failure summaries with Map.groupBy, which Node 20 lacks.
if (!('groupBy' in Map)) {
  Object.defineProperty(Map, 'groupBy', {
    value<K, V>(items: Iterable<V>, key: (item: V, index: number) => K): Map<K, V[]> {
      const groups = new Map<K, V[]>();
      let index = 0;
      for (const item of items) {
        const k = key(item, index++);
        const group = groups.get(k);
        if (group) group.push(item);
        else groups.set(k, [item]);
      }
      return groups;
    },
  });
}

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests run against the sources, not the builds, so `pnpm test` needs no build step.
export const alias = [
  { find: /^@banter\/core\/protocol$/, replacement: src('./packages/core/src/protocol/index.ts') },
  { find: /^@banter\/core$/, replacement: src('./packages/core/src/index.ts') },
  { find: /^@banter\/server\/(.+)$/, replacement: src('./packages/server/src/entries/$1.ts') },
  { find: /^@banter\/server$/, replacement: src('./packages/server/src/index.ts') },
  { find: /^@banter\/widget$/, replacement: src('./packages/widget/src/index.ts') },
  { find: /^@banter\/react$/, replacement: src('./packages/react/src/index.ts') },
];

// CI asks for a JSON report too, to print the closing `N passed, N failed` line.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  resolve: { alias },
  test: {
    projects: ['packages/*/vitest.config.ts', 'e2e/vitest.config.ts', 'tooling/vitest.config.ts'],
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
});

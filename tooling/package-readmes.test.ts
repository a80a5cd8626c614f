import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './run-tool';

// Issue 19: each package's README (it ships in the tarball: npm always packs README.md) shows the
// install line and the smallest working example, and that example is code the tests run: a block
// under `<!-- from PATH -->` must be in PATH (its lines in order, imports anywhere in the file).
const PACKAGES = ['core', 'server', 'widget'];

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** Where a README block is not what its source file says, or null. */
function blockMismatch(block: string, source: string): string | null {
  const body = lines(block).filter((line) => !line.startsWith('import '));
  const file = lines(source);
  for (const line of lines(block).filter((l) => l.startsWith('import '))) {
    if (!file.includes(line)) return `import not in the file: ${line}`;
  }
  const start = file.indexOf(body[0]!);
  if (start < 0) return `not in the file: ${body[0]}`;
  for (let i = 0; i < body.length; i++) {
    if (file[start + i] !== body[i]) return `differs from the file at: ${body[i]}`;
  }
  return null;
}

describe('package READMEs', () => {
  it.each(PACKAGES)('packages/%s/README.md: install line, an example from a tested file, links to docs', (name) => {
    const path = join(root, 'packages', name, 'README.md');
    expect(existsSync(path), `write packages/${name}/README.md`).toBe(true);
    const readme = readFileSync(path, 'utf8');
    expect(readme).toContain(`pnpm add @banter/${name}`);
    expect(readme).toMatch(/\]\(\.\.\/\.\.\/docs\/[\w-]+\.md/);
    const examples = [...readme.matchAll(/<!-- from (\S+) -->\n```\w+\n([\s\S]*?)```/g)];
    expect(examples.length, 'an example block under <!-- from PATH -->').toBeGreaterThan(0);
    for (const [, source, block] of examples) {
      expect(existsSync(join(root, source!)), source).toBe(true);
      expect(blockMismatch(block!, readFileSync(join(root, source!), 'utf8')), `${name} README vs ${source}`).toBeNull();
    }
  });

  it('the comparison sees an edited example', () => {
    const source = "import { a } from 'a';\nconst x = 1;\nconst y = x + 1;\nconsole.log(y);\n";
    expect(blockMismatch("import { a } from 'a';\n\nconst x = 1;\nconst y = x + 1;\n", source)).toBeNull();
    expect(blockMismatch('const x = 1;\nconst y = x + 2;\n', source)).toBe('differs from the file at: const y = x + 2;');
    expect(blockMismatch("import { b } from 'b';\nconst x = 1;\n", source)).toBe("import not in the file: import { b } from 'b';");
  });
});

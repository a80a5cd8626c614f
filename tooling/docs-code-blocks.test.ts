import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * Every TypeScript block in docs/ is compiled against the packages' sources (issue 21: a pasted
 * example must not fail on an API that moved). A block may use names it does not declare (`chat`,
 * `app`, `userId`: the prose around it says what they are), so "cannot find name" is not an error
 * here; everything about Banter's API is: a missing export, an unknown option, a wrong argument.
 * A block marked ```ts fragment is only parsed (a piece of a file, such as an object's members).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const docs = join(root, 'docs');

interface Block {
  file: string;
  line: number;
  lang: string;
  fragment: boolean;
  code: string;
}

function codeBlocks(markdown: string, file: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```(ts|tsx|js)( fragment)?\n([\s\S]*?)^```$/gm;
  for (const m of markdown.matchAll(fence)) {
    const line = markdown.slice(0, m.index).split('\n').length;
    blocks.push({ file, line, lang: m[1]!, fragment: !!m[2], code: m[3]! });
  }
  return blocks;
}

// Names a block may leave to its prose, and what a loose snippet legitimately trips over.
const TOLERATED = new Set([
  2304, // Cannot find name
  2552, // Cannot find name; did you mean
  2582, // Cannot find name 'describe' (test snippets)
  2307, // Cannot find module (checked below for @banter/*)
  7006,
  7031,
  7005,
  7034,
  7053, // implicit any
  1375,
  1378,
  1432, // top-level await
  18046,
  18047,
  18048, // possibly null/undefined or unknown (a snippet's variable of unknown type)
  2454, // used before assigned
  6133,
  6192,
  6196, // unused
  18004, // a shorthand property of a name the prose gives ({ url, token })
  2875, // the JSX runtime of the host's framework (React or Preact) resolves in the host's app
]);

/**
 * `...` in a block stands for "the rest of your options" (`{ ..., retention }`) or "your code"
 * (`(event) => ...`): made valid TypeScript of any type, so the rest of the block is still checked.
 */
function fillEllipses(code: string): string {
  return code.replace(/=>\s*\.\.\.(?=\s*[,)}\]\n;])/g, '=> ({}) as any').replace(/\.\.\.(?=\s*[,)}\]\n;])/g, '...({} as any)');
}

const blocks = readdirSync(docs)
  .filter((f) => f.endsWith('.md'))
  .flatMap((f) => codeBlocks(readFileSync(join(docs, f), 'utf8'), `docs/${f}`));

describe('docs code blocks', () => {
  it('finds the blocks', () => {
    expect(blocks.length).toBeGreaterThan(50);
  });

  it('compile against the sources: no missing export, unknown option or wrong argument', () => {
    expect(problemsOf(blocks)).toEqual([]);
  }, 120_000);

  it('the check itself sees a missing export, an unknown option and a wrong argument', () => {
    const bad = `import { createChatServer, notAnExport } from '@banter/server';
import { createChatClient } from '@banter/core';
createChatServer({ notAnOption: true });
createChatClient(42);
chat.api.sendMessage({ conversationId, senderId, body }); // free names stay allowed
`;
    const problems = problemsOf([{ file: 'docs/x.md', line: 1, lang: 'ts', fragment: false, code: bad }]);
    expect(problems.map((p) => p.match(/TS\d+/)![0]).sort()).toEqual(['TS2305', 'TS2345', 'TS2353']);
    expect(problemsOf([{ file: 'docs/x.md', line: 1, lang: 'ts', fragment: true, code: 'createChatServer({ nope: 1 })' }])).toEqual([]);
  }, 120_000);
});

/** Compiles the blocks together (each its own module) and lists what is wrong, as `file:line: TSnnnn message`. */
function problemsOf(blocks: Block[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, ts.sys as never)!;
  const virtual = new Map<string, string>();
  const names = new Map<string, Block>();
  blocks.forEach((b, i) => {
    const name = join(root, 'docs', `.block-${i}.${b.lang === 'tsx' ? 'tsx' : 'ts'}`);
    // A module of its own, so blocks never clash; fragments are only parsed.
    virtual.set(name, `${fillEllipses(b.code)}\nexport {};\n`);
    names.set(name, b);
  });
  // The entry points the packages export beyond those tsconfig.json maps (package.json "exports").
  const paths = {
    ...config.options.paths,
    '@banter/server/express': ['packages/server/src/entries/node.ts'],
    '@banter/widget/locales/*': ['packages/widget/src/locales/*.ts'],
  };
  const options: ts.CompilerOptions = {
    ...config.options,
    paths,
    noEmit: true,
    strict: false,
    noUnusedLocals: false,
    allowJs: true,
    jsx: ts.JsxEmit.ReactJSX,
    jsxImportSource: 'preact',
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => virtual.get(f) ?? read(f);
  host.fileExists = (f) => virtual.has(f) || exists(f);
  host.getSourceFile = (f, lang, ...rest) =>
    virtual.has(f) ? ts.createSourceFile(f, virtual.get(f)!, lang, true) : getSourceFile(f, lang, ...rest);
  const program = ts.createProgram([...virtual.keys()], options, host);
  const problems: string[] = [];
  for (const [name, block] of names) {
    const source = program.getSourceFile(name)!;
    const diagnostics = block.fragment
      ? program.getSyntacticDiagnostics(source)
      : [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    for (const d of diagnostics) {
      const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      if (TOLERATED.has(d.code) && !(d.code === 2307 && /@banter\//.test(text))) continue;
      const { line } = source.getLineAndCharacterOfPosition(d.start ?? 0);
      problems.push(`${block.file}:${block.line + 1 + line}: TS${d.code} ${text}`);
    }
  }
  return problems;
}

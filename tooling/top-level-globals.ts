import { readdirSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import ts from 'typescript';

// Browser globals that do not exist during server rendering, in Node or in a worker.
const BROWSER_GLOBALS = new Set([
  'window',
  'document',
  'navigator',
  'location',
  'localStorage',
  'sessionStorage',
  'history',
  'customElements',
  'requestAnimationFrame',
  'matchMedia',
  'HTMLElement',
  'CSSStyleSheet',
  'ResizeObserver',
]);

/** One use of a browser global that runs when the module is imported. */
export interface TopLevelUse {
  file: string;
  line: number;
  name: string;
}

const isDeferred = (node: ts.Node): boolean =>
  ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node) || (ts.isPropertyDeclaration(node) && !hasStatic(node));
const hasStatic = (node: ts.PropertyDeclaration) => node.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ?? false;

function isName(node: ts.Identifier): boolean {
  const parent = node.parent;
  // `x.window`, `{ window: 1 }`, `import { window }`, a type: not a read of the global.
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isPropertyAssignment(parent) && parent.name === node) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) return false;
  if (ts.isTypeReferenceNode(parent) || ts.isTypeQueryNode(parent) || ts.isQualifiedName(parent)) return false;
  // `typeof window === 'undefined'` is the guard itself.
  if (ts.isTypeOfExpression(parent)) return false;
  return true;
}

/**
 * Finds reads of browser globals (`window`, `document`, `navigator`, ...) that run at import time,
 * outside any function: those crash a server render. Reads inside functions and `typeof` guards pass.
 *
 * @example
 * topLevelBrowserGlobals('packages/core/src'); // [] when importing core is SSR-safe
 */
export function topLevelBrowserGlobals(dir: string, root: string = process.cwd()): TopLevelUse[] {
  const uses: TopLevelUse[] = [];
  for (const file of sourceFiles(resolve(root, dir))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (isDeferred(node) || ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
      const name = ts.isIdentifier(node) ? node.text : undefined;
      const viaGlobalThis =
        ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'globalThis'
          ? node.name.text
          : undefined;
      if (name && BROWSER_GLOBALS.has(name) && isName(node as ts.Identifier)) {
        uses.push({ file: relative(root, file), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, name });
      } else if (viaGlobalThis && BROWSER_GLOBALS.has(viaGlobalThis)) {
        uses.push({
          file: relative(root, file),
          line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
          name: viaGlobalThis,
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return uses;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
    .map((entry) => resolve(entry.parentPath, entry.name));
}

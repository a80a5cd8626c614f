// 8. What a page downloads: the widget's script-tag build and the core client, minified + gzipped.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = new URL('../../', import.meta.url);
const gz = (buf) => gzipSync(buf, { level: 9 }).length;

export async function sizes() {
  const widget = readFileSync(new URL('packages/widget/dist/widget.js', root));
  // esbuild as tsup (the packages' own bundler) ships it: no extra install.
  const rootRequire = createRequire(new URL('package.json', root));
  const esbuild = createRequire(rootRequire.resolve('tsup'))('esbuild');
  const coreEntry = fileURLToPath(new URL('packages/core/dist/index.js', root));
  const bundle = async (contents, external) => {
    const r = await esbuild.build({
      stdin: { contents, resolveDir: fileURLToPath(new URL('packages/core/', root)), loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      write: false,
      external,
      logLevel: 'silent',
    });
    const code = Buffer.from(r.outputFiles[0].contents);
    return { min: code.length, minGzip: gz(code) };
  };
  const entry = `export { createChatClient } from ${JSON.stringify(coreEntry)};`;
  return {
    widgetScriptTag: { file: 'packages/widget/dist/widget.js', min: widget.length, minGzip: gz(widget) },
    coreWithPusherJs: await bundle(entry, []),
    coreWithoutPusherJs: await bundle(entry, ['pusher-js']),
  };
}

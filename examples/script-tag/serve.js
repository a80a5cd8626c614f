// Serves this folder's pages, nothing more: any static host (nginx, GitHub Pages, a CDN) would do.
// The chat itself comes from `banter serve --dev` on localhost:3000 (see README.md).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';

const PORT = Number(process.env.PORT ?? 8080);
const HOST = process.env.HOST ?? '127.0.0.1';
const PAGES = { '/': 'index.html', '/index.html': 'index.html', '/bob.html': 'bob.html' };

createServer(async (req, res) => {
  const file = PAGES[new URL(req.url ?? '/', 'http://localhost').pathname];
  if (!file) return res.writeHead(404).end('not found');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(await readFile(new URL(file, import.meta.url)));
}).listen(PORT, HOST, () => console.log(`Script-tag example on http://localhost:${PORT} (start \`banter serve --dev\` on :3000 too)`));

#!/usr/bin/env node
// The `banter` command (bin of @banter/server): serve, migrate, token, outbox. See docs/cli.md.
import { runCli } from './cli/run';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // `serve` closed everything it opened; other commands must not linger on a stray handle either.
    if (code !== 0 || process.argv[2] !== 'serve') setTimeout(() => process.exit(code), 100).unref();
  },
  (error) => {
    process.stderr.write(`banter: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

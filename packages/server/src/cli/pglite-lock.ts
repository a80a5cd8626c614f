import { readFile, unlink, writeFile } from 'node:fs/promises';
import { CliError } from './cli-error';

/**
 * PGlite is one process's database: two processes writing one data directory corrupt it. A lock
 * file next to the directory (`<dir>.lock`, holding the pid) keeps a second `banter serve`, or a
 * `banter migrate` / `outbox` run beside a running server, out. A lock left by a dead process is
 * taken over. Returns the release function.
 *
 * @example
 * const release = await lockPglite('/srv/app/.banter/db');
 * try { ... } finally { await release(); }
 */
export async function lockPglite(dir: string): Promise<() => Promise<void>> {
  const file = `${dir}.lock`;
  const mine = String(process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, mine, { flag: 'wx' });
      return async () => {
        const holder = await readFile(file, 'utf8').catch(() => null);
        if (holder === mine) await unlink(file).catch(() => {});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
      throw new CliError(
        `the embedded database in ${dir} is in use by process ${holder} (banter serve?); PGlite allows one process at a time: stop it first, or use PostgreSQL`,
        1,
      );
    }
    // Left behind by a process that is gone (a crash, a kill -9): take it over.
    await unlink(file).catch(() => {});
  }
  throw new CliError(`unable to lock ${file}; another process keeps taking it`, 1);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

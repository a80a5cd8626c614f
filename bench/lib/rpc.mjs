// Tiny request/response over the IPC channel of forked processes, with a time cap on every call.
import { fork } from 'node:child_process';

/** In a child: answer `{id, cmd, args}` messages with `handlers[cmd](args)`. */
export function serve(handlers) {
  process.on('message', async (m) => {
    if (!m || m.id === undefined) return;
    if (m.cmd === 'exit') {
      await handlers.stop?.({}).catch(() => {});
      process.exit(0);
    }
    try {
      const result = await handlers[m.cmd](m.args ?? {});
      process.send({ id: m.id, result });
    } catch (error) {
      process.send({ id: m.id, error: String(error?.stack ?? error) });
    }
  });
  // The parent going away (crash, Ctrl-C) must not leave a load generator or server behind.
  process.on('disconnect', () => process.exit(0));
}

/** In the parent: fork `file` and call its handlers. */
export function spawn(file, { execArgv = [], env = {}, name = file } = {}) {
  const child = fork(new URL(file, import.meta.url), [], {
    execArgv,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  const waiting = new Map();
  const listeners = new Set();
  child.on('message', (m) => {
    if (m && m.id !== undefined && waiting.has(m.id)) {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      clearTimeout(w.timer);
      if (m.error) w.reject(new Error(`${name}: ${m.error}`));
      else w.resolve(m.result);
    } else for (const fn of listeners) fn(m);
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.on('exit', (code) => {
    for (const w of waiting.values()) {
      clearTimeout(w.timer);
      w.reject(new Error(`${name} exited (code ${code})`));
    }
    waiting.clear();
  });
  return {
    child,
    pid: child.pid,
    call(cmd, args, timeoutMs = 120_000) {
      const id = ++seq;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`${name}: ${cmd} took over ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, { resolve, reject, timer });
        child.send({ id, cmd, args });
      });
    },
    onEvent(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    /** Ask politely, then kill this child (by its own pid) if it does not leave. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ id: -1, cmd: 'exit' }, () => {});
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Where the benchmark keeps logs and CPU profiles (ignored by git). */
export const TMP_DIR = path.join(__dirname, '..', '.tmp');

/** A message a bench child sends over IPC. `ready` carries what the parent needs (a URL, ports). */
export interface ChildMessage {
  type: string;
  id?: number;
  [key: string]: unknown;
}

/** A child process started by {@link startChild}, with request/answer over IPC. */
export interface BenchChild {
  name: string;
  pid: number;
  process: ChildProcess;
  /** The payload of the child's `ready` message. */
  ready: ChildMessage;
  /** Sends `{type, ...payload}` and waits for the answer with the same id. */
  ask<T = ChildMessage>(type: string, payload?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<BenchChild>();

/**
 * Starts `script` (a TypeScript file under bench/) in its own Node process through tsx, with an
 * IPC channel, and waits for its `ready` message. The child's stdout and stderr go to
 * `bench/.tmp/<name>.log`. Every child started here is stopped by {@link stopAllChildren}, which
 * the runner calls on exit, on signals and on errors.
 *
 * @param nodeArgs extra Node flags, e.g. `['--cpu-prof', '--cpu-prof-dir=…']`
 */
export async function startChild(
  name: string,
  script: string,
  env: Record<string, string>,
  options: { nodeArgs?: string[]; readyTimeoutMs?: number } = {},
): Promise<BenchChild> {
  fs.mkdirSync(TMP_DIR, { recursive: true });
  const logPath = path.join(TMP_DIR, `${name}.log`);
  const log = fs.openSync(logPath, 'w');
  const child = fork(script, [], {
    cwd: path.join(__dirname, '..', '..'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    execArgv: ['--import', 'tsx', ...(options.nodeArgs ?? [])],
    stdio: ['ignore', log, log, 'ipc'],
  });
  fs.closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: could not start ${script}`);

  let nextId = 1;
  const pending = new Map<number, { resolve: (m: ChildMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  child.on('message', (raw) => {
    const message = raw as ChildMessage;
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    clearTimeout(waiter.timer);
    waiter.resolve(message);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const [, waiter] of pending) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`${name} exited (see ${logPath})`));
    }
    pending.clear();
  });

  const ready = await new Promise<ChildMessage>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not get ready within ${options.readyTimeoutMs ?? 30_000} ms (see ${logPath})`));
    }, options.readyTimeoutMs ?? 30_000);
    const onMessage = (raw: unknown) => {
      const message = raw as ChildMessage;
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (see ${logPath})`));
    });
  });

  const handle: BenchChild = {
    name,
    pid,
    process: child,
    ready,
    ask<T>(type: string, payload: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: no answer to ${type} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve: (m) => resolve(m as T), reject, timer });
        child.send({ type, id, ...payload });
      });
    },
    async stop(graceMs = 15_000) {
      running.delete(handle);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(handle);
  return handle;
}

/** Stops every child still running (each by its own pid), except those whose pid is in `keep`. */
export async function stopAllChildren(keep: ReadonlySet<number> = new Set()): Promise<void> {
  await Promise.all([...running].filter((child) => !keep.has(child.pid)).map((child) => child.stop(5_000)));
}

/** Kills every child at once, synchronously: for `process.on('exit')`. */
export function killAllChildrenNow(): void {
  for (const child of running) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  }
  running.clear();
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc (Linux). */
export function cpuSecondsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return ticks / 100; // USER_HZ is 100 on Linux
}

/**
 * Replies to the parent's IPC requests from inside a child: `handlers[type]` answers a request,
 * and the child exits when the parent goes away (so a killed runner leaves nothing behind).
 */
export function serveIpc(handlers: Record<string, (message: ChildMessage) => Promise<Record<string, unknown>> | Record<string, unknown>>): void {
  process.on('message', (raw) => {
    const message = raw as ChildMessage;
    const handler = handlers[message.type];
    if (!handler) {
      process.send?.({ type: 'error', id: message.id, error: `unknown request ${message.type}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message))
      .then(
        (answer) => process.send?.({ type: `${message.type}.done`, id: message.id, ...answer }),
        (error: unknown) => process.send?.({ type: 'error', id: message.id, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}

import fs from 'node:fs';
import os from 'node:os';
import { cpuSecondsOf } from './children';

/** CPU seconds used so far, by who used them (Linux /proc). */
export interface CpuSnapshot {
  /** Busy seconds of the whole machine, all cores added up. */
  machine: number;
  /** Of which: interrupts (irq, softirq) and steal (time the hypervisor gave to others). */
  interrupts: number;
  steal: number;
  /** Wall-clock seconds (for utilisation). */
  wall: number;
  /** CPU seconds per pid of PostgreSQL processes serving the benchmark: its database's backends and the server's own processes (WAL writer, checkpointer…). */
  postgres: Map<number, number>;
  /** CPU seconds per pid of PostgreSQL backends of other databases (the tests, a dev server). */
  postgresOther: Map<number, number>;
  redis: Map<number, number>;
  /** This runner (load generator). */
  runner: number;
  /** The named children (service processes, fakes, bare Koa). */
  children: Record<string, number>;
}

/** Machine CPU seconds from /proc/stat: process time (user, nice, system), interrupts (irq, softirq: loopback networking runs there) and steal. */
function machineSeconds(): { process: number; interrupts: number; steal: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return {
    process: ((user ?? 0) + (nice ?? 0) + (system ?? 0)) / 100,
    interrupts: ((irq ?? 0) + (softirq ?? 0)) / 100,
    steal: (steal ?? 0) / 100,
  };
}

function machineBusySeconds(): number {
  const m = machineSeconds();
  return m.process + m.interrupts + m.steal;
}

/** PostgreSQL backends name their database in their title: `postgres: 15/main: <user> <database> <host(port)> <state>`. */
const BACKEND_TITLE = /^postgres: [^:]+: \S+ (\S+) (?:\S+\(\d+\)|\[local\])/;

function serviceProcesses(benchDatabase: string) {
  const postgres = new Map<number, number>();
  const postgresOther = new Map<number, number>();
  const redis = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const isPostgres = comm.startsWith('postgres');
      if (!isPostgres && !comm.startsWith('redis-server')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
      if (!isPostgres) {
        redis.set(Number(entry), seconds);
        continue;
      }
      const title = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const database = BACKEND_TITLE.exec(title)?.[1];
      (database === undefined || database === benchDatabase ? postgres : postgresOther).set(Number(entry), seconds);
    } catch {
      // the process ended while we looked
    }
  }
  return { postgres, postgresOther, redis };
}

/** Takes a {@link CpuSnapshot}; `children` maps a name to a pid. */
export function cpuSnapshot(children: Record<string, number>, benchDatabase = 'support_bot_bench_test'): CpuSnapshot {
  const servers = serviceProcesses(benchDatabase);
  const usage = process.cpuUsage();
  const own: Record<string, number> = {};
  for (const [name, pid] of Object.entries(children)) {
    try {
      own[name] = cpuSecondsOf(pid);
    } catch {
      own[name] = 0;
    }
  }
  const m = machineSeconds();
  return {
    machine: m.process + m.interrupts + m.steal,
    interrupts: m.interrupts,
    steal: m.steal,
    wall: performance.now() / 1000,
    ...servers,
    runner: (usage.user + usage.system) / 1e6,
    children: own,
  };
}

/** CPU seconds used between two snapshots by the processes alive at the second one. */
function used(a: Map<number, number>, b: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of b) total += seconds - (a.get(pid) ?? 0);
  return total;
}

/**
 * Where the CPU went between two snapshots, in cores (CPU seconds per wall second; the machine
 * has `os.availableParallelism()` of them). A PostgreSQL backend that exited in between is not
 * counted (pool connections stay open during a part), so that figure is a lower bound.
 * `others` is whatever else ran on the machine meanwhile (other PostgreSQL databases, test runs,
 * editors): when it is large, the figures of that run were measured on a shared machine.
 * Interrupt time (loopback networking) and steal are shown apart and not counted as others.
 */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): Record<string, { value: number; unit: string }> {
  const wall = b.wall - a.wall;
  const cores = (x: number) => ({ value: Math.round((x / wall) * 100) / 100, unit: 'cores' });
  const machine = cores(b.machine - a.machine);
  const postgres = cores(used(a.postgres, b.postgres));
  const redis = cores(used(a.redis, b.redis));
  const runner = cores(b.runner - a.runner);
  const interrupts = cores(b.interrupts - a.interrupts);
  const steal = cores(b.steal - a.steal);
  const out: Record<string, { value: number; unit: string }> = {
    machine,
    interrupts,
    steal,
    postgres,
    postgresOtherDatabases: cores(used(a.postgresOther, b.postgresOther)),
    redis,
    runner,
  };
  let ours = postgres.value + redis.value + runner.value + interrupts.value + steal.value;
  for (const [name, value] of Object.entries(b.children)) {
    const c = cores(value - (a.children[name] ?? 0));
    out[name] = c;
    ours += c.value;
  }
  out.others = { value: Math.max(0, Math.round((machine.value - ours) * 100) / 100), unit: 'cores' };
  out.available = { value: os.availableParallelism(), unit: 'cores' };
  return out;
}

/**
 * Waits until the machine is quiet (under `maxCores` busy over one second, our own idle
 * processes included), at most `timeoutMs`; returns the last busy figure, in cores.
 */
export async function waitForQuiet(maxCores = 0.3, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const a = machineBusySeconds();
    const t = performance.now();
    await new Promise((r) => setTimeout(r, 1000));
    const busy = (machineBusySeconds() - a) / ((performance.now() - t) / 1000);
    if (busy < maxCores || Date.now() > deadline) return Math.round(busy * 100) / 100;
  }
}

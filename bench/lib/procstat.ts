/** Process and machine figures from /proc (Linux). */
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';

let clockTicks = 100;
try {
  clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  // 100 on every Linux we know
}

export interface ProcSample {
  /** user + system CPU seconds so far */
  cpuSeconds: number;
  rssBytes: number;
  /** peak RSS so far */
  hwmBytes: number;
  at: number;
}

/** CPU seconds (utime + stime) from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks; // utime, stime are fields 14, 15
}

/**
 * CPU nanoseconds used so far by the live threads of `pid`, from each one's
 * /proc/<pid>/task/<tid>/schedstat: exact, where /proc/<pid>/stat counts whole clock ticks
 * (10 ms, 25 µs an event over a 4 s step of 100 messages/s). Threads that ended are not
 * in it: for a process whose threads live as long as it does (Node's). Falls back to
 * /proc/<pid>/stat on a kernel without schedstat.
 */
export function cpuNanosecondsOf(pid: number): number {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // the thread ended meanwhile
      }
    }
    if (ns > 0) return ns;
  } catch {
    // no such process: /proc/<pid>/stat says so below
  }
  return cpuSecondsOf(pid) * 1e9;
}

export function statusKb(pid: number, key: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

export function sample(pid: number): ProcSample {
  return { cpuSeconds: cpuSecondsOf(pid), rssBytes: statusKb(pid, 'VmRSS') * 1024, hwmBytes: statusKb(pid, 'VmHWM') * 1024, at: performance.now() };
}

/** CPU use between two samples, in % of one core. */
export function cpuPercent(a: ProcSample, b: ProcSample): number {
  const wall = (b.at - a.at) / 1000;
  return wall > 0 ? (100 * (b.cpuSeconds - a.cpuSeconds)) / wall : 0;
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Children of `parent` whose command line contains `needle`. */
export function childPids(parent: number, needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      if (parentOf(pid) !== parent) continue;
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle)) found.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/**
 * CPU seconds used so far by every process named `comm` (PostgreSQL: the postmaster and its
 * backends). Backends come and go with connections, so the ended ones are counted through
 * their parent's cutime/cstime (a process named `comm` whose parent is not).
 */
export function cpuSecondsByName(comm: string): number {
  const named = new Map<number, string[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== comm) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      named.set(Number(entry), stat.slice(stat.lastIndexOf(')') + 2).split(' '));
    } catch {
      // gone meanwhile
    }
  }
  let ticks = 0;
  for (const fields of named.values()) {
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    if (!named.has(Number(fields[1]))) ticks += Number(fields[13]) + Number(fields[14]); // a root: its ended children
  }
  return ticks / clockTicks;
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

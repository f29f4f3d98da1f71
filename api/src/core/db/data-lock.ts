/**
 * One process at a time on the embedded database. Two PGlite instances on one folder each
 * work from their own copy in memory and overwrite each other's files: both acknowledge a
 * message with the same seq, and after a restart one of them is gone. So whoever opens the
 * embedded database first writes DATA_DIR/pglite.lock naming itself, and any other process
 * refuses with a message saying who holds it.
 *
 * A pid file rather than proper-lockfile's mtime heartbeat: a holder that died (kill -9, a
 * reboot) is known at once by its pid instead of after a stale period, and PGlite's WASM
 * blocks the event loop during long statements, long enough to miss heartbeats and lose a
 * live lock. A pid is trusted only on the machine that wrote it (same hostname) and, on
 * Linux, only with the same boot id and process start time, so a reused pid is not taken
 * for the holder. A lock written by another machine (a data folder on a network share) is
 * never taken over: this machine cannot see that process.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The lock's file name inside DATA_DIR, beside the `pglite` folder it guards. */
export const LOCK_FILE = 'pglite.lock';

/** Who holds the lock, as people need to know it. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** When it took the lock (ISO 8601). */
  since: string;
  /** Its command line. */
  command: string;
  /** Whether it has begun to stop: a start then waits for it instead of refusing. */
  closing: boolean;
}

/** The file's content: the holder, and what tells its process from a later one with the same pid. */
interface LockRecord extends LockHolder {
  /** Linux: the kernel's boot id; another one means the machine restarted since. */
  bootId: string | null;
  /** Linux: the holder's start time in clock ticks after boot (/proc/<pid>/stat, field 22). */
  processStart: string | null;
  /** Tells this lock from any other, so a release never removes someone else's. */
  nonce: string;
}

/** Where the lock says that it waits or takes over; pino's logger fits. */
export interface LockLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface DataDirLockOptions {
  /**
   * How long to wait for a holder that is stopping, as in a restart. Longer than the server's
   * own slowest stop: 30 s for a WebSocket peer that never answers the close, then 10 s of
   * draining requests. @default 60_000 ms
   */
  closingWaitMs?: number;
  log?: LockLog;
}

export interface DataDirLock {
  /** Marks the lock as closing, so a process starting meanwhile waits for release() instead of refusing. */
  closing(): Promise<void>;
  /** Removes the lock if it is still this one. */
  release(): Promise<void>;
}

/** Another live process holds the embedded database; the message says who, and what to do. */
export class DataDirInUseError extends Error {
  readonly code = 'DATA_DIR_IN_USE';

  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder,
    message: string,
  ) {
    super(message);
    this.name = 'DataDirInUseError';
  }
}

const POLL_MS = 100;
/** A takeover guard this old was left by a start that died in the middle of one (they take milliseconds). */
const GUARD_STALE_MS = 10_000;

/**
 * Takes the embedded database's lock in `dataDir` (which must exist). A holder that no longer
 * runs is taken over; one that is stopping is waited for, up to `closingWaitMs`; any other
 * makes it throw DataDirInUseError.
 */
export async function lockDataDir(dataDir: string, { closingWaitMs = 60_000, log }: DataDirLockOptions = {}): Promise<DataDirLock> {
  const file = path.join(dataDir, LOCK_FILE);
  const own = ownRecord();
  let waiting: { nonce: string; since: number } | undefined;
  for (;;) {
    if (await create(file, own)) return heldLock(file, own, log);
    const found = await read(file);
    if (!found) continue; // released in between
    const holder = found.record;
    const state = holder ? stateOf(holder, own) : 'gone';
    if (!holder || state === 'gone') {
      if (await takeOver(file, found.text)) {
        log?.warn({ lockFile: file, holder: holder && holderOf(holder) }, 'took over the embedded database from a process that no longer runs');
      }
      continue;
    }
    if (state === 'elsewhere') {
      throw refusal(dataDir, file, holder, `This machine cannot tell whether that process still runs: stop it there, or, if it is gone, delete ${file} and start again.`);
    }
    if (!holder.closing) {
      throw refusal(dataDir, file, holder, `Only one process may use it: stop that one first (Ctrl+C where it runs, or kill ${holder.pid}), or give this one another DATA_DIR. Several instances need PostgreSQL (DATABASE_URL).`);
    }
    if (waiting?.nonce !== holder.nonce) {
      waiting = { nonce: holder.nonce, since: Date.now() };
      log?.info({ lockFile: file, holder: holderOf(holder) }, 'waiting for the previous process to close the embedded database');
    }
    if (Date.now() - waiting.since > closingWaitMs) {
      throw refusal(dataDir, file, holder, `It has been stopping for more than ${closingWaitMs / 1000} s: wait for it to exit (or kill ${holder.pid}), then start again.`);
    }
    await sleep(POLL_MS);
  }
}

function refusal(dataDir: string, file: string, holder: LockRecord, advice: string): DataDirInUseError {
  const where = holder.hostname === os.hostname() ? '' : ` on ${holder.hostname}`;
  const head = `The embedded database in ${dataDir} (DATA_DIR) is in use by process ${holder.pid}${where} (${holder.command}), which has held it since ${holder.since}.`;
  return new DataDirInUseError(file, holderOf(holder), `${head} ${advice}`);
}

function holderOf({ pid, hostname, since, command, closing }: LockRecord): LockHolder {
  return { pid, hostname, since, command, closing };
}

/**
 * Creates the lock unless one exists. The record is written whole under a name of its own,
 * then linked into place: link fails when the lock exists, even on NFS where O_EXCL may
 * not be atomic (open(2)), and a reader never sees a half-written record.
 */
async function create(file: string, record: LockRecord): Promise<boolean> {
  const draft = `${file}.${record.nonce}`;
  await writeFile(draft, JSON.stringify(record));
  try {
    await link(draft, file);
    return true;
  } catch (error) {
    if (hasCode(error, 'EEXIST')) return false;
    throw error;
  } finally {
    await rm(draft, { force: true });
  }
}

/**
 * Removes a dead holder's lock, once, even when several starts find it together: under a
 * guard file, and only if the lock is still the one found dead (another may have replaced it).
 */
async function takeOver(file: string, deadText: string): Promise<boolean> {
  const guard = `${file}.takeover`;
  try {
    await writeFile(guard, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if (!hasCode(error, 'EEXIST')) throw error;
    const guardTime = (await stat(guard).catch(() => undefined))?.mtimeMs ?? Date.now();
    if (Date.now() - guardTime > GUARD_STALE_MS) await rm(guard, { force: true });
    else await sleep(POLL_MS / 2);
    return false;
  }
  try {
    if ((await read(file))?.text !== deadText) return false;
    await rm(file, { force: true });
    return true;
  } finally {
    await rm(guard, { force: true });
  }
}

function heldLock(file: string, own: LockRecord, log: LockLog | undefined): DataDirLock {
  const isOwn = (text: string) => parseRecord(text)?.nonce === own.nonce;
  // A process that exits without closing (an uncaught error) leaves no lock behind for the next
  // start to puzzle over; its files are as the database left them either way.
  const releaseAtExit = () => {
    try {
      if (isOwn(readFileSync(file, 'utf8'))) unlinkSync(file);
    } catch {
      // Already gone, and nothing more can be done while exiting.
    }
  };
  process.on('exit', releaseAtExit);
  return {
    async closing() {
      const draft = `${file}.${own.nonce}`;
      try {
        await writeFile(draft, JSON.stringify({ ...own, closing: true }));
        // rename replaces the record in one step: a reader sees the old one or the new one.
        await rename(draft, file);
      } catch (error) {
        // Only a courtesy to the next start, which then refuses instead of waiting: the stop goes on.
        log?.warn({ err: error, lockFile: file }, 'could not mark the embedded database as closing');
      }
    },
    async release() {
      process.off('exit', releaseAtExit);
      const found = await read(file);
      if (found && isOwn(found.text)) await rm(file, { force: true });
    },
  };
}

async function read(file: string): Promise<{ text: string; record: LockRecord | null } | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    return { text, record: parseRecord(text) };
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/** The record, or null when the file holds something else (then its writer is treated as gone). */
function parseRecord(text: string): LockRecord | null {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is LockRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const stringOrNull = (key: string) => record[key] === null || typeof record[key] === 'string';
  return (
    Number.isInteger(record.pid) &&
    ['hostname', 'since', 'command', 'nonce'].every((key) => typeof record[key] === 'string') &&
    typeof record.closing === 'boolean' &&
    stringOrNull('bootId') &&
    stringOrNull('processStart')
  );
}

function ownRecord(): LockRecord {
  return {
    pid: process.pid,
    hostname: os.hostname(),
    since: new Date().toISOString(),
    command: [process.argv0, ...process.argv.slice(1)].join(' '),
    closing: false,
    bootId: readProc('/proc/sys/kernel/random/boot_id')?.trim() ?? null,
    processStart: processStart(process.pid),
    nonce: randomUUID(),
  };
}

/** Whether the holder's process still runs, as far as this machine can tell. */
function stateOf(holder: LockRecord, own: LockRecord): 'alive' | 'gone' | 'elsewhere' {
  if (holder.hostname !== own.hostname) return 'elsewhere';
  if (holder.bootId !== null && own.bootId !== null && holder.bootId !== own.bootId) return 'gone';
  // Same pid, another start time: the holder is gone and its pid now belongs to someone else
  // (in a container, the new API process is often pid 1 again).
  if (holder.processStart !== null && own.processStart !== null) return processStart(holder.pid) === holder.processStart ? 'alive' : 'gone';
  try {
    process.kill(holder.pid, 0);
    return 'alive';
  } catch (error) {
    return hasCode(error, 'EPERM') ? 'alive' : 'gone'; // EPERM: it runs, as another user
  }
}

/** Linux: a process's start time, field 22 of /proc/<pid>/stat; null elsewhere or when there is no such process. */
function processStart(pid: number): string | null {
  const line = readProc(`/proc/${pid}/stat`);
  // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
  return line?.slice(line.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

function readProc(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

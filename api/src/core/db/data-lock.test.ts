/**
 * The embedded database's lock, in this process and in small child processes that hold it
 * and then die (SIGKILL) or exit without releasing it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { repoRoot } from '../../config/env.js';
import { DataDirInUseError, LOCK_FILE, lockDataDir, type DataDirLock, type LockLog } from './data-lock.js';

const LOCK_MODULE = fileURLToPath(new URL('./data-lock.ts', import.meta.url));

let dataDir: string;
let lockFile: string;
const held: DataDirLock[] = [];
const children: ChildProcess[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'dash-lock-'));
  lockFile = path.join(dataDir, LOCK_FILE);
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(held.splice(0).map((lock) => lock.release()));
  await rm(dataDir, { recursive: true, force: true });
});

async function lock(options: Parameters<typeof lockDataDir>[1] = {}): Promise<DataDirLock> {
  const taken = await lockDataDir(dataDir, options);
  held.push(taken);
  return taken;
}

function spyLog() {
  return { info: vi.fn<LockLog['info']>(), warn: vi.fn<LockLog['warn']>() };
}

/** A child process that takes the lock, says so, then waits, or exits at once with `thenExit`. */
async function childHolder(thenExit = false): Promise<{ child: ChildProcess; exited: Promise<void> }> {
  const script = `const { lockDataDir } = await import(process.argv[1]); await lockDataDir(process.argv[2]); console.log('locked');
    ${thenExit ? 'process.exit(0);' : 'setInterval(() => {}, 1000);'}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, LOCK_MODULE, dataDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => line === 'locked' && resolve());
    child.once('close', (code) => (thenExit ? resolve() : reject(new Error(`the holder exited with ${code}`))));
  });
  return { child, exited };
}

/** The lock file left by a holder killed with SIGKILL. */
async function deadHoldersLock(): Promise<{ pid: number; record: Record<string, unknown> }> {
  const { child, exited } = await childHolder();
  child.kill('SIGKILL');
  await exited;
  return { pid: child.pid!, record: JSON.parse(await readFile(lockFile, 'utf8')) as Record<string, unknown> };
}

describe('the embedded database lock', () => {
  it('refuses a second holder, naming the first, and is free again once released', async () => {
    const first = await lock();
    const refused = await lockDataDir(dataDir).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DataDirInUseError);
    const { holder, lockFile: file, message } = refused as DataDirInUseError;
    expect(file).toBe(lockFile);
    expect(holder).toMatchObject({ pid: process.pid, closing: false, command: expect.stringContaining('node') });
    expect(Date.parse(holder.since)).toBeGreaterThan(Date.now() - 60_000);
    expect(message).toContain(`The embedded database in ${dataDir} (DATA_DIR) is in use by process ${process.pid}`);
    expect(message).toContain(`kill ${process.pid}`);

    await first.release();
    expect(existsSync(lockFile)).toBe(false);
    await lock();
  });

  it('takes over from a holder killed with SIGKILL, and says so', async () => {
    const { pid } = await deadHoldersLock();
    const log = spyLog();
    await lock({ log });
    expect(log.warn).toHaveBeenCalledWith(expect.objectContaining({ holder: expect.objectContaining({ pid }) }), expect.stringContaining('no longer runs'));
    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('lets exactly one of several starts take over the same dead holder', async () => {
    await deadHoldersLock();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => lock()));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(DataDirInUseError);
  });

  it.runIf(process.platform === 'linux')('does not take a reused pid, or one from before a reboot, for the holder', async () => {
    const { record: dead } = await deadHoldersLock();
    // This process is alive, but it is not the one that wrote the lock: it started at another time.
    await writeFile(lockFile, JSON.stringify({ ...dead, pid: process.pid }));
    await (await lockDataDir(dataDir)).release();

    const taken = await lockDataDir(dataDir);
    const ours = JSON.parse(await readFile(lockFile, 'utf8')) as Record<string, unknown>;
    await taken.release();
    await writeFile(lockFile, JSON.stringify(ours));
    await expect(lockDataDir(dataDir)).rejects.toBeInstanceOf(DataDirInUseError);
    await writeFile(lockFile, JSON.stringify({ ...ours, bootId: 'a-boot-before-this-one' }));
    await lock();
  });

  it('takes over a lock file that holds no lock record', async () => {
    await writeFile(lockFile, 'not a lock');
    await lock();
  });

  it('never takes over a lock written on another machine, and says which file to delete', async () => {
    const { record } = await deadHoldersLock();
    await writeFile(lockFile, JSON.stringify({ ...record, hostname: 'elsewhere.example' }));
    const refused = (await lockDataDir(dataDir).catch((error: unknown) => error)) as DataDirInUseError;
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect(refused.message).toContain('on elsewhere.example');
    expect(refused.message).toContain(`delete ${lockFile}`);
  });

  it('waits for a holder that is closing, and takes the lock when it is released', async () => {
    const first = await lock();
    await first.closing();
    const log = spyLog();
    const waited = new Promise<void>((resolve) => log.info.mockImplementation(() => resolve()));
    const second = lock({ log });
    await waited;
    expect(log.info).toHaveBeenCalledWith(expect.objectContaining({ holder: expect.objectContaining({ pid: process.pid, closing: true }) }), expect.stringContaining('waiting'));
    await first.release();
    await second;
  });

  it('refuses a holder that is closing for longer than the bound', async () => {
    await (await lock()).closing();
    const refused = (await lockDataDir(dataDir, { closingWaitMs: 300 }).catch((error: unknown) => error)) as DataDirInUseError;
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect(refused.message).toContain('has been stopping for more than 0.3 s');
  });

  it('is removed when its process exits without releasing it, and left by one killed with SIGKILL', async () => {
    const { exited } = await childHolder(true);
    await exited;
    expect(existsSync(lockFile)).toBe(false);

    await deadHoldersLock();
    expect(existsSync(lockFile)).toBe(true);
  });

  it('leaves a lock that is no longer its own when released', async () => {
    const taken = await lock();
    await writeFile(lockFile, 'someone else');
    await taken.release();
    expect(await readFile(lockFile, 'utf8')).toBe('someone else');
  });
});

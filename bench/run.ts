/**
 * `npm run bench [-- --quick] [-- --profile] [-- --no-baseline]`: starts the API itself
 * (PostgreSQL from DATABASE_URL in a throwaway database, else the embedded PGlite in a
 * temporary DATA_DIR; with REDIS_URL too, two instances and an observer), seeds it in
 * bulk, drives it with graphql-ws clients from worker threads, does the same against a raw
 * `ws` broadcast baseline, prints a table and writes bench/results/<date>-<mode>.json and
 * its fan-out chart (.svg). Exits non-zero on any lost or duplicated delivery or failed send.
 * `--chart-only=<json>` draws a written run's chart and runs nothing.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chartRunOf, renderChart } from './lib/chart.js';
import { createThrowawayDatabase, openEmbedded, openPostgres, seed, tokenFor, uuidOf, type Sql } from './lib/db.js';
import { Histogram, type HistogramData } from './lib/histogram.js';
import { startObserver } from './lib/observer.js';
import { Pool } from './lib/pool.js';
import { cpuPercent, cpuSecondsByName, cpuSecondsOf, machine, machineCpu, sample, type ProcSample } from './lib/procstat.js';
import { apiTarget, startApiInstance, startBaseline, type MemorySample, type Target } from './lib/servers.js';
import type { SenderSpec } from './lib/worker.js';
import { historyAndSearch } from './lib/queries.js';
import { printSummary, ratiosOf, round, targetsOf, type Verdicts } from './lib/report.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const args = new Set(process.argv.slice(2));
const option = (name: string) => process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const QUICK = args.has('--quick');
const PROFILE = args.has('--profile');
/** `--perf`: the API writes /tmp/perf-<pid>.map, so `perf record` (on-CPU samples, kernel included) names its JS functions. */
const PERF = args.has('--perf');
const BASELINE = !args.has('--no-baseline');
/** `--only=realtime` (idle, fan-out, big room) or `--only=queries` (history, search): one half of the run, for profiling. */
const ONLY = option('only');
const REALTIME = ONLY !== 'queries';
const QUERIES = ONLY !== 'realtime';
const RATES = option('rates')?.split(',').map(Number);
/** `--instances=1|2`: API instances the generator uses (default 2 with PostgreSQL and Redis, else 1). */
const INSTANCES = option('instances');
/**
 * `--observer` / `--no-observer`: one more API instance on the same database and Redis with no
 * traffic, whose CPU per event shows what an instance spends on events for none of its
 * subscribers (default: on in a full run with two instances; the quick run's steps are too
 * short to measure it, and it would take 10 s of its minute).
 */
const OBSERVER = args.has('--observer') ? true : args.has('--no-observer') ? false : undefined;
/** `--chart-only=<json>`: writes the chart of a run's JSON beside it, runs nothing. */
const CHART_ONLY = option('chart-only');

/** The embedded database serves one connection at a time: the quick run scales down to stay under a minute. */
const EMBEDDED_QUICK = QUICK && !process.env.DATABASE_URL?.trim();
const params = {
  mode: QUICK ? 'quick' : 'full',
  workers: Number(option('workers') ?? 2),
  /** `--processes`: the generator's workers are processes, not threads (past ~19,000 connections: one process may open 20,000 files here). */
  processes: args.has('--processes'),
  users: Number(option('users') ?? (EMBEDDED_QUICK ? 300 : QUICK ? 1000 : 10_000)),
  groupSize: 10,
  bigRoom: 1000,
  bodyBytes: Number(option('size') ?? 100),
  /** fan-out steps, messages/s into 10-member groups (deliveries/s = 10×) */
  fanoutRates: RATES ?? (QUICK ? [20, 50] : [25, 50, 75, 100, 150, 200, 300, 375, 450, 560, 675, 1000, 1500, 2250, 3400, 5000, 7500, 11_000]),
  fanoutStepMs: QUICK ? 2000 : 4000,
  fanoutP99LimitMs: 100,
  /**
   * Load before the first measured step, not counted: a server runs for days, and a Node
   * process spends its first seconds of traffic compiling (TurboFan and WASM jobs took
   * ~15 % of the API's CPU in its first 20 s under load, ~3 % after a minute).
   */
  warmupRate: 100,
  warmupMs: QUICK ? 0 : 15_000,
  /** how long a step may take to deliver everything after its last send */
  drainMs: QUICK ? 5000 : 4000,
  bigRoomMessages: QUICK ? 3 : 15,
  historyMessages: QUERIES ? Number(option('history') ?? (EMBEDDED_QUICK ? 20_000 : 100_000)) : 0,
  historyRequests: Number(option('history-requests') ?? (QUICK ? 40 : 200)),
  searchMessages: QUERIES ? Number(option('search') ?? (EMBEDDED_QUICK ? 20_000 : QUICK ? 50_000 : 1_000_000)) : 0,
  searchConversations: QUICK ? 20 : 100,
  searchRequestsPerQuery: QUICK ? 5 : 20,
  /** a step never repeats or lasts longer than this, whatever the server does */
  finalDrainMs: 20_000,
  /** connecting stops after this; the users not connected by then stay offline */
  connectBudgetMs: QUICK ? 25_000 : 60_000,
};

const WATCHDOG_SECONDS = QUICK ? 180 : 900;
const log = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const kb = (bytes: number) => round(bytes / 1024, 1);
const mb = (bytes: number) => round(bytes / 2 ** 20, 1);

const totals: Verdicts = { lost: 0, duplicated: 0, strays: 0, failedSends: 0, unexpectedCloses: 0 };
const cleanups: (() => Promise<unknown>)[] = [];

// ——— the world the generator knows ———
const tokenSecret = randomBytes(16).toString('hex');
const tag = randomBytes(3).toString('hex');
const groups = Math.ceil(params.users / params.groupSize);
const bigRoomSize = Math.min(params.bigRoom, params.users);
const members = new Map<string, Set<number>>();
for (let g = 0; g < groups; g++) {
  const set = new Set<number>();
  for (let u = g * params.groupSize; u < Math.min(params.users, (g + 1) * params.groupSize); u++) set.add(u);
  members.set(uuidOf(2, g), set);
}
members.set(uuidOf(3, 0), new Set(Array.from({ length: bigRoomSize }, (_, u) => u)));
/** Users with a live subscription in the current target: the only ones a delivery can reach. */
let online = new Set<number>();
const recipientsOf = (conversationId: string) => [...members.get(conversationId)!].filter((u) => online.has(u));
/** The 10-member groups among `ids` whose members are all online. */
const fullGroupsOf = (ids: string[]) => ids.filter((id) => id !== uuidOf(3, 0) && recipientsOf(id).length === members.get(id)!.size);
/** The share of the groups connected (and probed) before the idle scenario's first memory sample. */
const IDLE_WARM_SHARE = 0.05;
const tokens = Array.from({ length: params.users }, (_, u) => tokenFor(tokenSecret, u).token);

// ——— measuring one target ———

interface SentRecord {
  run: number;
  conversationId: string;
  status: number;
}

/** What one scenario's sends and receipts add up to, collected from every worker. */
class Ledger {
  sent = new Map<number, SentRecord>();
  receipts = new Map<number, { users: number[]; max: number }>();
  delivery = new Map<number, Histogram>();
  ack = new Map<number, Histogram>();
  lag = new Map<number, Histogram>();
  errors: string[] = [];
  unexpectedCloses = 0;
  elu: number[] = [];

  absorb(collected: Awaited<ReturnType<Pool['collect']>>) {
    this.elu = collected.map((c) => round(c.elu, 2));
    for (const c of collected) {
      const merge = (into: Map<number, Histogram>, from: Record<number, HistogramData>) => {
        for (const [run, data] of Object.entries(from)) {
          let h = into.get(Number(run));
          if (!h) into.set(Number(run), (h = new Histogram()));
          h.merge(data);
        }
      };
      merge(this.delivery, c.delivery);
      merge(this.ack, c.ack);
      merge(this.lag, c.lag);
      for (const [run, r] of Object.entries(c.runs)) {
        r.nums.forEach((num, i) => this.sent.set(num, { run: Number(run), conversationId: r.conversations[i]!, status: r.status[i]! }));
      }
      for (const [num, users, max] of c.receipts) {
        const r = this.receipts.get(num);
        if (!r) this.receipts.set(num, { users: [...users], max });
        else {
          r.users.push(...users);
          r.max = Math.max(r.max, max);
        }
      }
      this.errors.push(...c.errors);
    }
    this.unexpectedCloses = collected.reduce((a, c) => a + c.unexpectedCloses, 0);
  }

  /** Deliveries of the given runs' acknowledged messages: missing, twice, to non-members; failed sends. */
  check(runs: Set<number>): Verdicts & { delivered: number; expected: number } {
    const v = { lost: 0, duplicated: 0, strays: 0, failedSends: 0, unexpectedCloses: this.unexpectedCloses, delivered: 0, expected: 0 };
    for (const [num, s] of this.sent) {
      if (!runs.has(s.run)) continue;
      if (s.status !== 1) {
        v.failedSends++;
        continue;
      }
      const want = new Set(recipientsOf(s.conversationId));
      const got = this.receipts.get(num)?.users ?? [];
      const unique = new Set(got);
      v.expected += want.size;
      v.duplicated += got.length - unique.size;
      for (const u of unique) {
        if (want.has(u)) v.delivered++;
        else v.strays++;
      }
      v.lost += want.size - [...unique].filter((u) => want.has(u)).length;
    }
    return v;
  }
}

interface Stats {
  server: ProcSample[];
  /** the observer's CPU ns so far, when there is one */
  observerNs: number | undefined;
  dbCpu: number;
  machine: { busy: number; total: number };
  generator: NodeJS.CpuUsage;
  at: number;
}
/** The generator's worker processes (with --processes), whose CPU is the generator's too. */
let generatorPids: number[] = [];
function generatorCpu(): NodeJS.CpuUsage {
  const own = process.cpuUsage();
  const workers = generatorPids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
  return { user: own.user + workers * 1e6, system: own.system };
}
function stats(target: Target, db: boolean): Stats {
  return { server: target.pids.map(sample), observerNs: target.observer?.cpuNanoseconds(), dbCpu: db ? cpuSecondsByName('postgres') : 0, machine: machineCpu(), generator: generatorCpu(), at: performance.now() };
}
function usage(a: Stats, b: Stats) {
  const u = usageOf(a, b);
  u.otherCpuPct = Math.max(0, round(u.machineBusyPct * CORES - u.serverCpuPct - (u.observerCpuPct ?? 0) - u.dbCpuPct - u.generatorCpuPct));
  return u;
}
const CORES = os.cpus().length;
const LOAD_AT_START = os.loadavg();
function usageOf(a: Stats, b: Stats) {
  const wall = (b.at - a.at) / 1000;
  return {
    serverCpuPct: round(a.server.reduce((sum, s, i) => sum + cpuPercent(s, b.server[i]!), 0)),
    serverRssMB: mb(b.server.reduce((sum, s) => sum + s.rssBytes, 0)),
    dbCpuPct: round((100 * (b.dbCpu - a.dbCpu)) / wall),
    generatorCpuPct: round((100 * (b.generator.user + b.generator.system - a.generator.user - a.generator.system)) / 1e6 / wall),
    machineBusyPct: round((100 * (b.machine.busy - a.machine.busy)) / Math.max(1, b.machine.total - a.machine.total)),
    /** what the rest of the machine (not the server, the database or the generator) used, in % of one core */
    otherCpuPct: 0,
    /** the observer instance's CPU, in % of one core (not in serverCpuPct) */
    observerCpuPct: a.observerNs === undefined || b.observerNs === undefined ? undefined : round((100 * (b.observerNs - a.observerNs)) / 1e9 / wall),
  };
}

let runCounter = 0;

/** Sends at `rate` messages/s for `durationMs` (open loop), waits for the deliveries, returns the run's figures. */
async function load(pool: Pool, ledger: Ledger, target: Target, db: boolean, options: { rate: number; durationMs: number; senders: SenderSpec[]; probe?: boolean; count?: number; drainMs: number }) {
  const run = ++runCounter;
  await pool.mark();
  const before = stats(target, db);
  const startAt = performance.timeOrigin + performance.now() + 100;
  await pool.send({ run, rate: options.rate, durationMs: options.durationMs, count: options.count ?? Number.MAX_SAFE_INTEGER, startAt, senders: options.senders, bodySize: params.bodyBytes, probe: options.probe ?? false });
  const sendEnded = performance.now();
  let progress = await pool.progress(run);
  while (performance.now() - sendEnded < options.drainMs && (progress.pending > 0 || progress.received < progress.expected)) {
    await sleep(25);
    progress = await pool.progress(run);
  }
  const after = stats(target, db);
  ledger.absorb(await pool.collect());
  const check = ledger.check(new Set([run]));
  const delivery = ledger.delivery.get(run) ?? new Histogram();
  // Each acknowledged send published one event after its commit.
  const published = [...ledger.sent.values()].filter((s) => s.run === run && s.status === 1).length;
  return {
    run,
    check,
    published,
    /** the observer's CPU µs over the run, its drain included */
    observerCpuUs: before.observerNs === undefined || after.observerNs === undefined ? undefined : (after.observerNs - before.observerNs) / 1000,
    seconds: (after.at - before.at) / 1000,
    pendingAcks: progress.pending,
    delivery,
    ack: ledger.ack.get(run) ?? new Histogram(),
    lag: ledger.lag.get(run) ?? new Histogram(),
    usage: usage(before, after),
    elu: ledger.elu,
    wallMs: Math.round(performance.now() - (startAt - performance.timeOrigin)),
  };
}

function sendersFor(target: Target, conversations: string[], pick: (conversationId: string, i: number) => number[]): SenderSpec[] {
  const senders: SenderSpec[] = [];
  conversations.forEach((conversationId, i) => {
    for (const user of pick(conversationId, i)) {
      senders.push({ token: tokens[user]!, httpUrl: target.httpUrls[user % target.httpUrls.length]!, conversationId, fanout: recipientsOf(conversationId).length });
    }
  });
  return senders;
}

/** One probe per conversation until every member has it: proof that every subscription is live. */
async function probe(pool: Pool, ledger: Ledger, target: Target, conversations: string[]) {
  const senders = sendersFor(target, conversations, (id) => [[...members.get(id)!][0]!]);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const r = await load(pool, ledger, target, false, { rate: 1000, durationMs: 60_000, count: senders.length, senders, probe: true, drainMs: 15_000 });
    if (r.check.lost === 0 && r.check.failedSends === 0) return attempt;
    log(`    probe ${attempt}: ${r.check.lost} probe deliveries missing, ${r.check.failedSends} failed sends ${ledger.errors.slice(-1).join('')}`);
  }
  throw new Error('subscriptions did not all become live');
}

function summarize(h: Histogram) {
  return h.summary();
}

async function measureTarget(target: Target, pool: Pool, db: boolean) {
  const name = target.name;
  const out: Record<string, unknown> = {};
  const ledger = new Ledger();

  // idle: every user holds one authenticated subscription
  log(`\n[${name}] idle: ${params.users} authenticated subscriptions`);
  const clients = Array.from({ length: params.users }, (_, u) => ({ user: u, token: tokens[u]!, wsUrl: target.wsUrls[u % target.wsUrls.length]! }));
  const deadline = performance.timeOrigin + performance.now() + params.connectBudgetMs;
  const connectStart = performance.now();
  // A few whole groups first, probed: the code paths of a connection, a subscription and a
  // delivery are compiled and the pools warm before the first memory sample, so the
  // difference between the samples is what the other connections hold, not one-time costs.
  const warmUsers = params.groupSize * Math.max(1, Math.round(groups * IDLE_WARM_SHARE));
  const warm = await pool.connect(clients.slice(0, warmUsers), deadline);
  if (warm.failed > 0) throw new Error(`${warm.failed} of ${warmUsers} connections failed: ${warm.firstError}`);
  online = warm.users;
  await probe(pool, ledger, target, fullGroupsOf([...members.keys()].slice(0, warmUsers / params.groupSize)));
  const before = await target.memory();
  const rest = await pool.connect(clients.slice(warmUsers), deadline);
  const connectMs = performance.now() - connectStart;
  online = new Set([...warm.users, ...rest.users]);
  const connected = online.size;
  if (rest.failed > 0) throw new Error(`${rest.failed} of ${params.users} connections failed: ${rest.firstError}`);
  if (rest.skipped > 0) log(`  only ${connected} of ${params.users} connected within ${params.connectBudgetMs / 1000} s (${Math.round(connected / (connectMs / 1000))}/s): the rest are left out (offline users)`);
  const fullGroups = fullGroupsOf([...members.keys()]);
  if (fullGroups.length === 0) throw new Error('no group has all its members connected');
  const probeAttempts = await probe(pool, ledger, target, fullGroups);
  const after = await target.memory();
  const held = (samples: MemorySample[]) => samples.reduce((sum, m) => sum + m.heapUsed + m.external, 0);
  const rss = (samples: MemorySample[]) => samples.reduce((sum, m) => sum + m.rss, 0);
  const measured = rest.connected;
  out.idle = {
    connections: connected,
    asked: params.users,
    connectBudgetSeconds: params.connectBudgetMs / 1000,
    connectSeconds: round(connectMs / 1000, 2),
    connectsPerSecond: Math.round(connected / (connectMs / 1000)),
    probeAttempts,
    /** the connections between the two memory samples (all but the warm-up's) */
    measuredConnections: measured,
    heapBeforeMB: mb(held(before)),
    heapAfterMB: mb(held(after)),
    /** live memory (JS heap + external) after a full collection, per connection opened between the samples */
    kbPerConnection: kb((held(after) - held(before)) / measured),
    rssBeforeMB: mb(rss(before)),
    rssAfterMB: mb(rss(after)),
    /** RSS growth over the same connections: what the host pays, allocator slack included (see README) */
    rssKbPerConnection: kb((rss(after) - rss(before)) / measured),
  };
  log(`  ${connected} connected in ${round(connectMs / 1000, 1)} s; live memory ${mb(held(before))} → ${mb(held(after))} MB over ${measured} connections = ${kb((held(after) - held(before)) / measured)} KB per connection (RSS ${mb(rss(before))} → ${mb(rss(after))} MB)`);
  if (held(after) <= held(before)) log('  ✗ live memory did not grow with the connections: the measurement is broken, not the server');

  // fan-out: 10-member groups at stepped rates
  log(`\n[${name}] fan-out: ${fullGroups.length} groups of ${params.groupSize}, steps of ${params.fanoutStepMs / 1000} s`);
  const groupIds = fullGroups;
  // Every member of every group sends in turn (messages go round the groups first).
  const fanSenders: SenderSpec[] = [];
  for (let k = 0; k < params.groupSize; k++) fanSenders.push(...sendersFor(target, groupIds, (id) => [[...members.get(id)!][k % members.get(id)!.size]!]));
  const steps: Record<string, unknown>[] = [];
  const fanRuns = new Set<number>();
  const failedRuns = new Set<number>();
  const observerQuiet = target.observer ? await observerWhileQuiet(target.observer) : undefined;
  /**
   * The observer's CPU over a run ÷ the events published in it, net of what it uses when
   * nothing is sent (its timers: 200 µs an event at 25 messages/s), and as measured.
   */
  const observerPerEvent = (r: { observerCpuUs: number | undefined; seconds: number; published: number }) => {
    if (r.observerCpuUs === undefined || !observerQuiet) return {};
    const events = Math.max(1, r.published);
    return {
      observerCpuPerEventUs: round((r.observerCpuUs - observerQuiet.cpuPct * 1e4 * r.seconds) / events, 1),
      observerCpuPerEventRawUs: round(r.observerCpuUs / events, 1),
    };
  };
  if (params.warmupMs > 0) {
    const w = await load(pool, ledger, target, db, { rate: params.warmupRate, durationMs: params.warmupMs, senders: fanSenders, drainMs: params.drainMs });
    fanRuns.add(w.run);
    const d = summarize(w.delivery);
    out.warmup = { messagesPerSecond: params.warmupRate, seconds: params.warmupMs / 1000, deliveryMs: d, serverCpuPct: w.usage.serverCpuPct, ...observerPerEvent(w) };
    log(`  warm-up (not counted): ${params.warmupRate} msg/s for ${params.warmupMs / 1000} s, delivery p50/p99 ${d.p50}/${d.p99} ms, server CPU ${w.usage.serverCpuPct} %${target.observer ? `, observer ${observerPerEvent(w).observerCpuPerEventUs} µs CPU per event` : ''}`);
  }
  let sustainable: Record<string, unknown> | null = null;
  log(`  msg/s  deliv/s offered  delivered/s  ack p50/p99 ms   deliv p50/p95/p99/max ms        late dup fail  srv CPU% RSS MB  db CPU%  gen CPU% ELU  lag p99 ms  machine%  other%${target.observer ? '  obs µs/event' : ''}`);
  // A step that fails is run once more before the ladder stops: on a shared 2-core machine one
  // scheduling hiccup of a few hundred ms decides a 4 s step's p99 (both attempts are reported).
  const ladder = params.fanoutRates.map((rate) => ({ rate, retry: false }));
  for (let i = 0; i < ladder.length; i++) {
    const { rate, retry } = ladder[i]!;
    const r = await load(pool, ledger, target, db, { rate, durationMs: params.fanoutStepMs, senders: fanSenders, drainMs: params.drainMs });
    fanRuns.add(r.run);
    const d = summarize(r.delivery);
    const a = summarize(r.ack);
    const lagP99 = round(r.lag.percentile(99) / 1000, 2);
    const late = r.check.lost;
    const ok = late === 0 && r.check.duplicated === 0 && r.check.failedSends === 0 && r.check.strays === 0 && d.p99 <= params.fanoutP99LimitMs;
    // The generator is late when its schedule slips; saturated when its threads are busy, else starved by others.
    const generatorLate = lagP99 > 5;
    const generatorBound = generatorLate && (Math.max(...r.elu) > 0.8 || r.usage.generatorCpuPct > 80 * params.workers);
    const contended = r.usage.otherCpuPct > 20;
    const step = {
      messagesPerSecond: rate,
      retry,
      offeredDeliveriesPerSecond: rate * params.groupSize,
      deliveredPerSecond: Math.round(r.check.delivered / (params.fanoutStepMs / 1000)),
      delivered: r.check.delivered,
      expected: r.check.expected,
      lateOrLost: late,
      duplicated: r.check.duplicated,
      failedSends: r.check.failedSends,
      ackMs: a,
      deliveryMs: d,
      scheduleLagP99Ms: lagP99,
      workerEventLoopUtilization: r.elu,
      ...r.usage,
      ...observerPerEvent(r),
      generatorLate,
      generatorBound,
      contendedByOtherProcesses: contended,
      pass: ok,
    };
    steps.push(step);
    log(
      `  ${String(rate).padStart(5)}  ${String(rate * params.groupSize).padStart(7)}  ${String(step.deliveredPerSecond).padStart(11)}  ${`${a.p50}/${a.p99}`.padStart(14)}   ${`${d.p50}/${d.p95}/${d.p99}/${d.max}`.padStart(28)}  ${String(late).padStart(6)} ${String(r.check.duplicated).padStart(3)} ${String(r.check.failedSends).padStart(4)}  ${String(r.usage.serverCpuPct).padStart(8)} ${String(r.usage.serverRssMB).padStart(6)}  ${String(db ? r.usage.dbCpuPct : '-').padStart(7)}  ${String(r.usage.generatorCpuPct).padStart(8)} ${r.elu.map((e) => e.toFixed(2)).join('/')}  ${String(lagP99).padStart(9)}  ${String(r.usage.machineBusyPct).padStart(8)}  ${String(r.usage.otherCpuPct).padStart(5)}${target.observer ? String(step.observerCpuPerEventUs).padStart(14) : ''}${ok ? '' : '  ✗'}${generatorBound ? ' (generator-bound)' : generatorLate ? ' (generator late)' : ''}${contended ? ' (other processes busy)' : ''}${retry ? ' (run again)' : ''}`,
    );
    if (ok) sustainable = step;
    else failedRuns.add(r.run);
    if (!ok && !QUICK && !retry) ladder.splice(i + 1, 0, { rate, retry: true });
    else if (!ok && !QUICK) break;
  }
  // Whatever an overloaded last step left in flight is delivered (or not) by now.
  await drainAll(pool, ledger, fanRuns);
  const fanCheck = ledger.check(fanRuns);
  out.fanout = { steps, sustainable, final: fanCheck, ...(observerQuiet && { observerQuiet }) };
  log(`  sustainable: ${sustainable ? `${sustainable.offeredDeliveriesPerSecond} deliveries/s (${sustainable.messagesPerSecond} msg/s)` : 'none of the steps'}; after the final drain: ${fanCheck.lost} lost, ${fanCheck.duplicated} duplicated, ${fanCheck.strays} to non-members, ${fanCheck.failedSends} failed sends`);
  // The verdict is the messenger's: the baseline's overloaded last step (its HTTP server drops
  // requests past its limit) is recorded above but not counted against the run.
  const passingRuns = new Set([...fanRuns].filter((run) => !failedRuns.has(run)));
  addTotals(target.name === 'api' ? fanCheck : ledger.check(passingRuns));

  // big room: 1 message/s into the 1,000-member group
  const room = uuidOf(3, 0);
  log(`\n[${name}] big room: 1 message/s into a ${bigRoomSize}-member group, ${params.bigRoomMessages} messages`);
  const roomSenders = sendersFor(target, [room], () => Array.from({ length: Math.min(10, bigRoomSize) }, (_, u) => u));
  const br = await load(pool, ledger, target, db, { rate: 1, durationMs: params.bigRoomMessages * 1000, senders: roomSenders, drainMs: 10_000 });
  await drainAll(pool, ledger, new Set([br.run]));
  const roomCheck = ledger.check(new Set([br.run]));
  const last = new Histogram();
  for (const [num, s] of ledger.sent) if (s.run === br.run) last.record(ledger.receipts.get(num)?.max ?? 0);
  out.bigRoom = { members: bigRoomSize, onlineMembers: recipientsOf(room).length, messages: last.count, lastRecipientMs: summarize(last), everyRecipientMs: summarize(br.delivery), ackMs: summarize(br.ack), ...br.usage, check: roomCheck };
  log(`  last recipient p50/p99/max ${last.summary().p50}/${last.summary().p99}/${last.summary().max} ms; every recipient p50/p99 ${br.delivery.summary().p50}/${br.delivery.summary().p99} ms; ${roomCheck.lost} lost, ${roomCheck.duplicated} duplicated`);
  addTotals(roomCheck);
  if (target.observer) out.observerEventsReceived = target.observer.eventsReceived();
  out.errors = ledger.errors.slice(0, 10);
  totals.unexpectedCloses += ledger.unexpectedCloses;
  if (ledger.errors.length) log(`  first errors: ${ledger.errors.slice(0, 3).join(' | ')}`);
  return out;
}

/** The observer's CPU while nothing is sent (its timers), in % of a core: the per-event figures are net of it. */
async function observerWhileQuiet(observer: NonNullable<Target['observer']>) {
  const seconds = 5;
  const before = observer.cpuNanoseconds();
  await sleep(seconds * 1000);
  const cpuPct = round((100 * (observer.cpuNanoseconds() - before)) / 1e9 / seconds, 2);
  log(`  observer instance, nothing sent for ${seconds} s: ${cpuPct} % of a core`);
  return { seconds, cpuPct };
}

async function drainAll(pool: Pool, ledger: Ledger, runs: Set<number>) {
  const started = performance.now();
  for (;;) {
    ledger.absorb(await pool.collect());
    const c = ledger.check(runs);
    const pending = [...ledger.sent.values()].some((s) => runs.has(s.run) && s.status === 0);
    if ((c.lost === 0 && !pending) || performance.now() - started > params.finalDrainMs) return;
    await sleep(250);
  }
}

function addTotals(v: Verdicts) {
  totals.lost += v.lost;
  totals.duplicated += v.duplicated;
  totals.strays += v.strays;
  totals.failedSends += v.failedSends;
}

// ——— main ———

async function main() {
  const started = performance.now();
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  const redisUrl = process.env.REDIS_URL?.trim() || undefined;
  // The embedded database has one owner: Redis (and a second instance) only with PostgreSQL.
  const redis = Boolean(databaseUrl && redisUrl);
  const instances = Number(INSTANCES ?? (redis ? 2 : 1));
  if (instances !== 1 && instances !== 2) throw new Error(`--instances=${INSTANCES}: 1 or 2`);
  if (instances === 2 && !redis) throw new Error('--instances=2 needs DATABASE_URL and REDIS_URL: the instances share their events through Redis');
  const observed = OBSERVER ?? (!QUICK && instances === 2);
  if (observed && !redis) throw new Error('--observer needs DATABASE_URL and REDIS_URL: the observer hears the events through Redis');
  const load1 = os.loadavg()[0]!;
  if (load1 > 0.5 * CORES) log(`warning: load average ${load1.toFixed(2)} on ${CORES} cores before starting: other processes compete for the CPU and the figures will show it (see "other%")`);
  log(`Dash Messenger benchmark (${params.mode}): ${databaseUrl ? 'PostgreSQL' : 'embedded PGlite'}, ${instances} API instance(s)${redis ? ' over Redis' : ''}${observed ? ' + an observer instance' : ''}${redisUrl && !databaseUrl ? ' (REDIS_URL ignored: the embedded database serves one process)' : ''}, ${params.workers} generator ${params.processes ? 'processes' : 'threads'}, ${params.users} users`);

  const env: Record<string, string> = {
    NODE_ENV: 'production',
    ENV_FILE: '', // a developer's .env does not reach the server under test
    LOG_LEVEL: 'info', // the start-up line ("is listening on", at info) gives the port
    // Production with PostgreSQL needs one; every instance of this run shares it.
    SECRET_KEY: randomBytes(32).toString('base64'),
    SEED_DEMO: 'false',
    // Measured as production runs when Prometheus scrapes it: every delivery counted.
    METRICS: 'true',
    RATE_LIMIT_SEND_PER_ACCOUNT: '1000000/1s',
    RATE_LIMIT_SEND_PER_IP: '1000000/1s',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000000/1s',
    RATE_LIMIT_LOGIN_PER_IP: '1000000/1s',
    RATE_LIMIT_REGISTER_PER_IP: '1000000/1s',
    // Every generated client connects from 127.0.0.1.
    WS_MAX_SOCKETS_PER_IP: '1000000',
    WS_MAX_HANDSHAKES_PER_IP: '1000000',
  };
  const nodeOptions: string[] = [];
  if (PROFILE) {
    const dir = path.join(HERE, 'results', 'profiles');
    mkdirSync(dir, { recursive: true });
    nodeOptions.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  if (PERF) nodeOptions.push('--perf-basic-prof', '--interpreted-frames-native-stack');
  // `--node-flags=--a,--b=1`: more flags for the API's node (to try a V8 or GC setting)
  nodeOptions.push(...(option('node-flags')?.split(',').filter(Boolean) ?? []));
  let dataDir: string | undefined;
  if (databaseUrl) {
    const db = await createThrowawayDatabase(databaseUrl);
    cleanups.push(() => db.drop());
    env.DATABASE_URL = db.url;
    log(`database ${db.name}`);
  } else {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'dash-bench-'));
    cleanups.push(async () => rmSync(dataDir!, { recursive: true, force: true }));
    env.DATA_DIR = dataDir;
  }
  if (redis) env.REDIS_URL = redisUrl!;

  // The first start migrates; one real registration gives a password hash for every seeded user.
  let first = await startApiInstance(env, nodeOptions);
  const registered = (await first.gql('mutation { register(input: { username: "benchseed", email: "seed@bench.invalid", password: "bench-password-42" }) { token } }')) as { data?: { register: { token: string } }; errors?: unknown };
  if (!registered.data) throw new Error(`register failed: ${JSON.stringify(registered.errors)}`);
  /** The seed user belongs to no conversation: the observer's subscriber. */
  const seedUserToken = registered.data.register.token;
  let sql: Sql;
  if (databaseUrl) {
    sql = await openPostgres(env.DATABASE_URL!);
  } else {
    await first.stop(); // PGlite has one owner at a time
    sql = await openEmbedded(dataDir!);
  }
  cleanups.push(() => sql.close());
  const [{ password_hash: passwordHash }] = await sql.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE username = 'benchseed'`) as [{ password_hash: string }];
  log('seeding');
  const seeded = await seed(sql, { ...params, bigRoom: bigRoomSize, passwordHash, tokenSecret }, log);
  await sql.close();
  if (!databaseUrl) first = await startApiInstance(env, nodeOptions);
  const apiInstances = [first];
  if (instances === 2) apiInstances.push(await startApiInstance(env, nodeOptions));
  const api = apiTarget(apiInstances, observed ? await startObserver(env, nodeOptions, seedUserToken) : undefined);
  cleanups.push(() => api.stop());

  const pool = new Pool(params.workers, tag, params.processes);
  generatorPids = pool.pids;
  cleanups.push(() => pool.close());
  const results: Record<string, unknown> = {};
  const apiFigures = REALTIME ? await measureTarget(api, pool, Boolean(databaseUrl)) : undefined;
  const hs = QUERIES ? await historyAndSearch(api, params, tokens[0]!, log) : undefined;
  await pool.disconnect();
  await api.stop();

  let baselineFigures: Record<string, unknown> | undefined;
  if (BASELINE && REALTIME) {
    const mapFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'dash-bench-map-')), 'map.json');
    writeFileSync(mapFile, JSON.stringify({ tokens: Object.fromEntries(tokens.map((t, u) => [t, u])), conversations: Object.fromEntries([...members].map(([id, set]) => [id, [...set]])) }));
    cleanups.push(async () => rmSync(path.dirname(mapFile), { recursive: true, force: true }));
    const baseline = await startBaseline(mapFile);
    cleanups.push(() => baseline.stop());
    baselineFigures = await measureTarget(baseline, pool, false);
    await pool.disconnect();
    await baseline.stop();
  }

  results.api = { ...apiFigures, ...hs };
  if (baselineFigures) results.baseline = baselineFigures;
  const ratios = apiFigures && baselineFigures ? ratiosOf(apiFigures, baselineFigures) : undefined;
  if (ratios) results.ratiosToBaseline = ratios;

  const report = {
    date: new Date().toISOString(),
    machine: { ...machine(), loadAverageAtStart: LOAD_AT_START.map((l) => round(l, 2)) },
    commit: commit(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    database: databaseUrl ? 'postgresql' : 'embedded (PGlite)',
    apiInstances: instances,
    redis,
    /** whether an observer instance ran (its figures: observerCpuPerEventUs in the fan-out steps) */
    observer: observed,
    parameters: { ...params, seedTimingsMs: seeded.timingsMs },
    results,
    targets: targetsOf(apiFigures, hs, params.searchMessages, totals),
    verdict: totals,
    durationSeconds: round((performance.now() - started) / 1000),
  };
  printSummary(report, totals, log);
  const dir = path.join(HERE, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${report.date.replace(/[:.]/g, '-')}-${params.mode}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  log(`\nwritten ${path.relative(ROOT, file)} in ${report.durationSeconds} s`);
  const chart = chartRunOf(report);
  if (chart) {
    const svg = renderChart(chart);
    writeFileSync(file.replace(/\.json$/, '.svg'), svg);
    writeFileSync(path.join(dir, 'latest.svg'), svg);
    log(`written ${path.relative(ROOT, file.replace(/\.json$/, '.svg'))} (and bench/results/latest.svg)`);
  }
  return totals.lost + totals.duplicated + totals.strays + totals.failedSends + totals.unexpectedCloses === 0;
}

/** `--chart-only=<json>`: the chart of a run's JSON, written beside it (`<name>.svg`). */
function chartOnly(jsonFile: string): boolean {
  const chart = chartRunOf(JSON.parse(readFileSync(jsonFile, 'utf8')));
  if (!chart) {
    console.error(`${jsonFile} has no fan-out steps to draw`);
    return false;
  }
  const file = jsonFile.replace(/\.json$/, '') + '.svg';
  writeFileSync(file, renderChart(chart));
  log(`written ${file}`);
  return true;
}

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

let ok = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: cleaning up`);
    void Promise.allSettled(cleanups.reverse().map((c) => c())).then(() => process.exit(130));
  });
}
// Every loop is bounded; this bounds the whole run too, in case something hangs anyway.
const watchdog = setTimeout(
  () => {
    console.error(`the benchmark did not finish in ${WATCHDOG_SECONDS} s: stopping`);
    void Promise.allSettled(cleanups.reverse().map((c) => c())).then(() => process.exit(2));
  },
  WATCHDOG_SECONDS * 1000,
);
watchdog.unref();
try {
  ok = CHART_ONLY ? chartOnly(CHART_ONLY) : await main();
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error('cleanup:', error));
}
process.exit(ok ? 0 : 1);

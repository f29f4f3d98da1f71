/**
 * One load-generator thread: holds a share of the graphql-ws clients (each logged in as
 * a seeded user and subscribed to `events`), sends messages over HTTP at a fixed arrival
 * rate (open loop: the schedule never waits for answers), and records, per recipient,
 * the time from the scheduled send to the receipt (the scheduled time is in the body,
 * so a late generator shows up as latency and as schedule lag, never hides it).
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { Histogram, type HistogramData } from './histogram.js';
import { EVENTS_TEXT, MESSAGE_FIELDS_TEXT } from '../../web/src/graphql/events.documents.js';

/** The pool's end: the thread's port, or this process's IPC channel when the worker is a process (pool.ts). */
const channel = parentPort ?? {
  on: (event: 'message', listener: (message: never) => void) => process.on(event, listener as (message: unknown) => void),
  postMessage: (message: unknown) => process.send!(message),
};
const { index: WORKER, workers: WORKERS, tag: TAG } = (parentPort ? workerData : JSON.parse(process.env.BENCH_WORKER!)) as { index: number; workers: number; tag: string };
const now = () => performance.timeOrigin + performance.now();

/** The web client's own subscription, so the figures are what its users get. */
const EVENTS = EVENTS_TEXT + MESSAGE_FIELDS_TEXT;
const SEND = 'mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }';

export interface ClientSpec {
  user: number;
  token: string;
  wsUrl: string;
}
export interface SenderSpec {
  token: string;
  httpUrl: string;
  conversationId: string;
  /** members who should receive each message (the sender included: its other devices) */
  fanout: number;
}
export interface SendPlan {
  run: number;
  /** messages per second from this worker */
  rate: number;
  durationMs: number;
  /** at most this many sends */
  count: number;
  startAt: number;
  senders: SenderSpec[];
  bodySize: number;
  probe: boolean;
}
export interface RunRecord {
  nums: number[];
  fanouts: number[];
  conversations: string[];
  /** 0 pending, 1 acknowledged, 2 failed */
  status: number[];
}
export interface Collected {
  delivery: Record<number, HistogramData>;
  ack: Record<number, HistogramData>;
  lag: Record<number, HistogramData>;
  runs: Record<number, RunRecord>;
  /** [message number, recipients (user indexes) seen here, latest receipt latency µs] */
  receipts: [number, number[], number][];
  errors: string[];
  unexpectedCloses: number;
  elu: number;
}

interface Conn {
  user: number;
  client: Client;
  connected: boolean;
  closing: boolean;
}

let conns: Conn[] = [];
let unexpectedCloses = 0;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
let counter = 0;

const delivery = new Map<number, Histogram>();
const ack = new Map<number, Histogram>();
const lag = new Map<number, Histogram>();
const runs = new Map<number, RunRecord & { pending: number; expected: number }>();
const receivedByRun = new Map<number, number>();
let receipts = new Map<number, { users: number[]; max: number }>();
const errors: string[] = [];
let eluMark = performance.eventLoopUtilization();

const histOf = (map: Map<number, Histogram>, run: number) => {
  let h = map.get(run);
  if (!h) map.set(run, (h = new Histogram()));
  return h;
};
const noteError = (text: string) => {
  if (errors.length < 20) errors.push(text.slice(0, 300));
};

/** Body: <kind><run>:<scheduled epoch ms>:<message number>: padded to the message size. */
function onMessage(user: number, body: unknown): void {
  const at = now();
  if (typeof body !== 'string' || (body[0] !== 'M' && body[0] !== 'P')) return;
  const a = body.indexOf(':');
  const b = body.indexOf(':', a + 1);
  const c = body.indexOf(':', b + 1);
  if (a < 0 || b < 0 || c < 0) return;
  const run = Number(body.slice(1, a));
  const latency = (at - Number(body.slice(a + 1, b))) * 1000;
  const num = Number(body.slice(b + 1, c));
  receivedByRun.set(run, (receivedByRun.get(run) ?? 0) + 1);
  if (body[0] === 'M') histOf(delivery, run).record(latency);
  let r = receipts.get(num);
  if (!r) receipts.set(num, (r = { users: [], max: 0 }));
  r.users.push(user);
  if (latency > r.max) r.max = latency;
}

function connectOne(spec: ClientSpec): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const conn: Conn = { user: spec.user, client: undefined as unknown as Client, connected: false, closing: false };
    conn.client = createClient({
      url: spec.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { token: spec.token },
      lazy: false,
      retryAttempts: 0,
      connectionAckWaitTimeout: 20_000,
      onNonLazyError: (error) => reject(error instanceof Error ? error : new Error(describe(error))),
      on: {
        connected: () => {
          conn.connected = true;
          conn.client.subscribe(
            { query: EVENTS },
            {
              next: (result) => onMessage(spec.user, (result.data as { events?: { message?: { body?: unknown } } } | null)?.events?.message?.body),
              error: (error) => noteError(`subscription error: ${describe(error)}`),
              complete: () => {},
            },
          );
          resolve(conn);
        },
        closed: (event) => {
          if (!conn.connected) reject(new Error(`closed before connecting: ${describe(event)}`));
          else if (!conn.closing) {
            unexpectedCloses++;
            noteError(`socket of user ${spec.user} closed: ${describe(event)}`);
          }
        },
      },
    });
  });
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  const { code, reason } = (value ?? {}) as { code?: number; reason?: string };
  if (code !== undefined) return `${code} ${reason ?? ''}`.trim();
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Connects in order until done or `deadline` (epoch ms): what is not started by then is skipped. */
async function connect(clients: ClientSpec[], concurrency: number, deadline: number) {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const users: number[] = [];
  const lane = async () => {
    while (next < clients.length && now() < deadline) {
      const spec = clients[next++]!;
      try {
        conns.push(await connectOne(spec));
        users.push(spec.user);
      } catch (error) {
        failed++;
        firstError ??= describe(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  return { connected: users.length, users, failed, skipped: clients.length - next, firstError, ms: Math.round(performance.now() - started) };
}

async function disconnect() {
  for (const c of conns) c.closing = true;
  await Promise.all(conns.map((c) => c.client.dispose()));
  conns = [];
}

function post(sender: SenderSpec, payload: string, done: (error: string | null) => void): void {
  const url = new URL(sender.httpUrl);
  const req = http.request(
    {
      host: url.hostname,
      port: url.port,
      path: '/graphql',
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${sender.token}` },
    },
    (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (data += chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return done(`HTTP ${res.statusCode}: ${data}`);
        try {
          const parsed = JSON.parse(data) as { data?: { sendMessage?: { id?: string } }; errors?: unknown };
          done(parsed.errors || !parsed.data?.sendMessage?.id ? `errors: ${JSON.stringify(parsed.errors)}` : null);
        } catch {
          done(`unparsable answer: ${data.slice(0, 200)}`);
        }
      });
    },
  );
  req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
  req.on('error', (error) => done(`request failed: ${error.message}`));
  req.end(payload);
}

function send(plan: SendPlan): Promise<{ sent: number }> {
  const record = { nums: [] as number[], fanouts: [] as number[], conversations: [] as string[], status: [] as number[], pending: 0, expected: 0 };
  runs.set(plan.run, record);
  const interval = 1000 / plan.rate;
  const lagHist = histOf(lag, plan.run);
  const ackHist = histOf(ack, plan.run);
  const deadline = plan.startAt + plan.durationMs;
  let k = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const t = now();
      while (k < plan.count) {
        const scheduled = plan.startAt + k * interval;
        if (scheduled >= deadline) break;
        if (scheduled > t) return void setTimeout(tick, Math.max(0, Math.min(scheduled - t, 50) - 0.5));
        const sender = plan.senders[k % plan.senders.length]!;
        const num = WORKER + WORKERS * counter++;
        let body = `${plan.probe ? 'P' : 'M'}${plan.run}:${scheduled.toFixed(3)}:${num}:`;
        if (body.length < plan.bodySize) body += 'x'.repeat(plan.bodySize - body.length);
        const slot = record.nums.length;
        record.nums.push(num);
        record.fanouts.push(sender.fanout);
        record.conversations.push(sender.conversationId);
        record.status.push(0);
        record.pending++;
        lagHist.record((t - scheduled) * 1000);
        const payload = JSON.stringify({ query: SEND, variables: { input: { conversationId: sender.conversationId, clientMsgId: `b${TAG}-${num}`, body } } });
        post(sender, payload, (error) => {
          record.pending--;
          if (error) {
            record.status[slot] = 2;
            noteError(error);
          } else {
            record.status[slot] = 1;
            record.expected += sender.fanout;
            if (!plan.probe) ackHist.record((now() - scheduled) * 1000);
          }
        });
        k++;
      }
      resolve({ sent: k });
    };
    tick();
  });
}

function collect(): Collected {
  const toRecord = (map: Map<number, Histogram>) => {
    const out: Record<number, HistogramData> = {};
    for (const [run, h] of map) out[run] = h.toJSON();
    map.clear();
    return out;
  };
  const out: Collected = {
    delivery: toRecord(delivery),
    ack: toRecord(ack),
    lag: toRecord(lag),
    runs: {},
    receipts: [...receipts].map(([num, r]) => [num, r.users, r.max]),
    errors: errors.splice(0),
    unexpectedCloses,
    elu: performance.eventLoopUtilization(eluMark).utilization,
  };
  for (const [run, r] of runs) {
    out.runs[run] = { nums: r.nums, fanouts: r.fanouts, conversations: r.conversations, status: r.status };
    if (r.pending === 0) runs.delete(run);
  }
  receipts = new Map();
  eluMark = performance.eventLoopUtilization();
  return out;
}

function progress(run: number) {
  const r = runs.get(run);
  return { pending: r?.pending ?? 0, expected: r?.expected ?? 0, received: receivedByRun.get(run) ?? 0 };
}

channel.on('message', async (request: { id: number; type: string; [key: string]: unknown }) => {
  let result: unknown;
  try {
    switch (request.type) {
      case 'connect':
        result = await connect(request.clients as ClientSpec[], request.concurrency as number, request.deadline as number);
        break;
      case 'disconnect':
        result = await disconnect();
        break;
      case 'send':
        result = await send(request.plan as SendPlan);
        break;
      case 'progress':
        result = progress(request.run as number);
        break;
      case 'collect':
        result = collect();
        break;
      case 'mark':
        eluMark = performance.eventLoopUtilization();
        result = null;
        break;
      default:
        throw new Error(`unknown request ${request.type}`);
    }
    channel.postMessage({ id: request.id, result });
  } catch (error) {
    channel.postMessage({ id: request.id, error: error instanceof Error ? error.stack : String(error) });
  }
});

/**
 * What an instance tells Prometheus (served at `/metrics` by app/metrics.ts). Each server
 * has its own registry — never prom-client's global one: tests run several servers in one
 * process, and each must count only its own. Node's own metrics (CPU, memory, GC, event-loop
 * lag) describe the process, so there is one set of them per process, added to every answer.
 *
 * The counters a delivery pays for are a counter's and a histogram's increment: no label set
 * per recipient, nothing built per delivery but what prom-client builds for the event's type.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolUse } from './db/database.js';
import type { AppEventType } from './events.js';

/** Distinct operation names kept as labels; names seen after them are counted as "other". */
export const OPERATION_NAMES_MAX = 200;
/** Longer operation names are counted as "other". */
export const OPERATION_NAME_LENGTH_MAX = 64;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** Seconds, from a millisecond to ten seconds. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What the gauges read when Prometheus asks. */
export interface MetricSources {
  /** Open WebSockets, signed in or still in their handshake. */
  webSockets(): number;
  /** Live `events` subscriptions. */
  subscriptions(): number;
  /** Handshakes running, and upgrades waiting for their turn (app/handshake-gate.ts). */
  handshakes(): { running: number; waiting: number };
  /** The PostgreSQL pool's connections; absent for the embedded database, which has none. */
  pool?: () => PoolUse;
}

let processRegistry: Registry | undefined;

/** Node's metrics, started once per process: prom-client's collectors, once started, never stop. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class Metrics {
  /** Started with the first server, so that the event loop's delay is measured before the first scrape. */
  private readonly process = processMetrics();
  private readonly registry = new Registry();
  private readonly registers = [this.registry];
  private readonly operationNames = new Set<string>();

  private readonly published = new Counter({
    name: 'dash_events_published_total',
    help: 'Events published by this instance (one per change, however many recipients), by type.',
    labelNames: ['type'],
    registers: this.registers,
  });
  private readonly received = new Counter({
    name: 'dash_events_received_total',
    help: 'Event envelopes this instance received from the pub/sub, by type: only those of conversations and users it holds subscribers of.',
    labelNames: ['type'],
    registers: this.registers,
  });
  private readonly delivered = new Counter({
    name: 'dash_events_delivered_total',
    help: "Events written to a subscriber's socket by this instance (one per subscription), by type.",
    labelNames: ['type'],
    registers: this.registers,
  });
  private readonly deliveryLag = new Histogram({
    name: 'dash_event_delivery_lag_seconds',
    help: "From an event's publish (the publishing instance's clock, carried in the pub/sub envelope) to its write to a subscriber's socket.",
    buckets: BUCKETS,
    registers: this.registers,
  });
  private readonly operations = new Histogram({
    name: 'dash_graphql_operation_duration_seconds',
    help: `GraphQL operations over HTTP, from Apollo taking the request to its answer, by operation name (valid names of up to ${OPERATION_NAME_LENGTH_MAX} characters, the first ${OPERATION_NAMES_MAX} seen; any other is "other") and type.`,
    labelNames: ['operation', 'type'],
    buckets: BUCKETS,
    registers: this.registers,
  });
  private readonly errors = new Counter({
    name: 'dash_graphql_errors_total',
    help: 'Errors in GraphQL answers, over HTTP and WebSocket, by extensions.code.',
    labelNames: ['code'],
    registers: this.registers,
  });
  private readonly requests = new Histogram({
    name: 'dash_http_request_duration_seconds',
    help: 'HTTP requests, from their arrival to the end of the answer, by method, route (/graphql, /healthz, /readyz, /metrics, /playground, /assets, or other) and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: BUCKETS,
    registers: this.registers,
  });

  /** prom-client's text format: `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType = this.registry.contentType;

  /** An event went out to the pub/sub. */
  eventPublished(type: AppEventType): void {
    this.published.inc({ type });
  }

  /** An event's envelope arrived from the pub/sub (for one or more of this instance's subscribers). */
  eventReceived(type: AppEventType): void {
    this.received.inc({ type });
  }

  /**
   * An event's frame was written to a subscriber's socket.
   * @param publishedAt when it was published (ms since the epoch); unknown for events made on this instance only
   */
  eventDelivered(type: AppEventType, publishedAt: number | undefined): void {
    this.delivered.inc({ type });
    if (publishedAt !== undefined) this.deliveryLag.observe(Math.max(0, Date.now() - publishedAt) / 1000);
  }

  /** A GraphQL operation over HTTP was answered. The name is the client's: see {@link operationLabel}. */
  operationAnswered(name: string | null | undefined, type: string | undefined, seconds: number): void {
    this.operations.observe({ operation: this.operationLabel(name), type: type ?? 'unknown' }, seconds);
  }

  /** An error left in a GraphQL answer (its code is one of core/errors.ts's). */
  errorAnswered(code: unknown): void {
    this.errors.inc({ code: typeof code === 'string' ? code : 'unknown' });
  }

  httpRequestAnswered(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status }, seconds);
  }

  /**
   * The label for an operation name a client chose: untrusted, so only valid GraphQL names
   * of a sane length, and only the first {@link OPERATION_NAMES_MAX} distinct ones (an
   * unnamed operation's "anonymous" among them); anything else is "other". The series stay
   * bounded whatever clients send.
   */
  operationLabel(name: string | null | undefined): string {
    const label = name || 'anonymous';
    if (this.operationNames.has(label)) return label;
    if (label.length > OPERATION_NAME_LENGTH_MAX || !GRAPHQL_NAME.test(label) || this.operationNames.size >= OPERATION_NAMES_MAX) return 'other';
    this.operationNames.add(label);
    return label;
  }

  /** Registers the gauges, read from `sources` at each scrape (nothing is counted as they change). */
  watch(sources: MetricSources): void {
    const registers = this.registers;
    const gauge = (name: string, help: string, read: () => number) => new Gauge({ name, help, registers, collect() { this.set(read()); } });
    gauge('dash_websocket_connections', 'Open WebSockets on this instance, signed in or still in their handshake.', sources.webSockets);
    gauge('dash_subscriptions_active', 'Live `events` subscriptions on this instance.', sources.subscriptions);
    new Gauge({
      name: 'dash_handshake_queue',
      help: 'WebSocket handshakes (upgrade to connection_ack) running now, and upgrades waiting for their turn.',
      labelNames: ['state'],
      registers,
      collect() {
        const { running, waiting } = sources.handshakes();
        this.set({ state: 'running' }, running);
        this.set({ state: 'waiting' }, waiting);
      },
    });
    const pool = sources.pool;
    if (!pool) return;
    gauge('dash_db_pool_connections', "Connections open in this instance's PostgreSQL pool.", () => pool().total);
    gauge('dash_db_pool_idle_connections', 'Pool connections open and idle.', () => pool().idle);
    gauge('dash_db_pool_waiting_requests', 'Queries waiting for a pool connection.', () => pool().waiting);
    gauge('dash_db_pool_max_connections', 'The most connections the pool opens.', () => pool().max);
  }

  /** Everything, in Prometheus's text format ({@link contentType}): this server's metrics and the process's. */
  text(): Promise<string> {
    return Registry.merge([this.process, this.registry]).metrics();
  }
}

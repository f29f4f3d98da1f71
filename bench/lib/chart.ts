/**
 * The fan-out chart: delivery latency p50 and p99 against the offered rate, for the API and the
 * raw `ws` baseline of one run, both axes logarithmic, as a self-contained SVG (no script, font,
 * style sheet or image to fetch), so it shows the same in a browser, an editor and a README.
 */

/** One fan-out step as the run's JSON records it (older files have no `retry`). */
export interface ChartStep {
  messagesPerSecond: number;
  offeredDeliveriesPerSecond: number;
  deliveryMs: { p50: number; p99: number };
  pass: boolean;
  /** the second attempt at a rate whose first one failed */
  retry?: boolean;
}

/** What the chart shows of one run. */
export interface ChartRun {
  date: string;
  commit: string;
  mode: string;
  database: string;
  apiInstances: number;
  /** whether the instances' events went through Redis */
  redis: boolean;
  /** whether an observer instance (no generator traffic) ran beside the API's */
  observer: boolean;
  users: number;
  groupSize: number;
  /** the p99 a step must stay under to pass */
  p99LimitMs: number;
  /** the issue's throughput target, drawn when the x axis reaches it */
  targetDeliveriesPerSecond: number;
  api: ChartStep[];
  baseline: ChartStep[];
}

/** A run's JSON as `bench/run.ts` writes it, read loosely: files of earlier versions lack some fields. */
interface ReportShape {
  date?: string;
  commit?: string;
  database?: string;
  apiInstances?: number;
  redis?: boolean;
  observer?: boolean;
  parameters?: { mode?: string; users?: number; groupSize?: number; fanoutP99LimitMs?: number };
  results?: { api?: { fanout?: { steps?: ChartStep[] } }; baseline?: { fanout?: { steps?: ChartStep[] } } };
}

/** The chart's input from a run's JSON; undefined when the run has no fan-out steps (`--only=queries`). */
export function chartRunOf(report: unknown): ChartRun | undefined {
  const r = (report ?? {}) as ReportShape;
  const api = r.results?.api?.fanout?.steps ?? [];
  const baseline = r.results?.baseline?.fanout?.steps ?? [];
  if (api.length === 0 && baseline.length === 0) return undefined;
  return {
    date: r.date ?? 'unknown date',
    commit: r.commit ?? 'unknown',
    mode: r.parameters?.mode ?? 'unknown',
    database: r.database ?? 'unknown database',
    apiInstances: r.apiInstances ?? 1,
    // Files written before `redis` was recorded ran two instances only with Redis.
    redis: r.redis ?? (r.apiInstances ?? 1) > 1,
    observer: r.observer ?? false,
    users: r.parameters?.users ?? 0,
    groupSize: r.parameters?.groupSize ?? 10,
    p99LimitMs: r.parameters?.fanoutP99LimitMs ?? 100,
    targetDeliveriesPerSecond: 10_000,
    api,
    baseline,
  };
}

const WIDTH = 900;
const HEIGHT = 560;
const PLOT = { left: 72, right: 680, top: 92, bottom: 490 };
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif';
const COLORS = { api: '#1f5fbf', baseline: '#c26a00', target: '#c62828', grid: '#e3e3e3', axis: '#444', text: '#222' };

interface Series {
  label: string;
  color: string;
  percentile: 'p50' | 'p99';
  steps: ChartStep[];
}

/** The SVG document of the run's fan-out chart. */
export function renderChart(run: ChartRun): string {
  const all: Series[] = [
    { label: 'API p99', color: COLORS.api, percentile: 'p99', steps: run.api },
    { label: 'API p50', color: COLORS.api, percentile: 'p50', steps: run.api },
    { label: 'raw ws p99', color: COLORS.baseline, percentile: 'p99', steps: run.baseline },
    { label: 'raw ws p50', color: COLORS.baseline, percentile: 'p50', steps: run.baseline },
  ];
  const series = all.filter((s) => s.steps.length > 0);
  const steps = [...run.api, ...run.baseline];
  const xs = steps.map((s) => s.offeredDeliveriesPerSecond).filter((v) => v > 0);
  const ys = steps.flatMap((s) => [s.deliveryMs.p50, s.deliveryMs.p99]).filter((v) => v > 0);
  const xDomain = niceLogDomain(Math.min(...xs), Math.max(...xs));
  // room above the target line for its label, however far below it the run stayed
  const yDomain = niceLogDomain(Math.min(...ys, run.p99LimitMs), Math.max(...ys, run.p99LimitMs * 2));
  // 3 % of the frame's width beyond the domain on each side: no point sits on the frame
  const x = logScale(padded(xDomain), PLOT.left, PLOT.right);
  const y = logScale(padded(yDomain), PLOT.bottom, PLOT.top);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="${FONT}" font-size="12" fill="${COLORS.text}">`);
  out.push(`<title>${esc(`${titleOf(run)}: ${runLineOf(run)}`)}</title>`);
  out.push(`<desc>${esc(`${subtitleOf(run)}. Filled points passed their step; hollow ones failed it (p99 over ${run.p99LimitMs} ms, or a loss or failed send).`)}</desc>`);
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`);
  out.push(`<text x="${PLOT.left}" y="26" font-size="16" font-weight="bold">${esc(titleOf(run))}</text>`);
  out.push(`<text x="${PLOT.left}" y="48" font-size="13">${esc(runLineOf(run))}</text>`);
  out.push(`<text x="${PLOT.left}" y="67" font-size="12" fill="#555">${esc(subtitleOf(run))}</text>`);

  // grid and ticks
  for (const t of logTicks(xDomain)) {
    const px = f(x(t.value));
    out.push(`<line x1="${px}" y1="${PLOT.top}" x2="${px}" y2="${PLOT.bottom}" stroke="${COLORS.grid}" stroke-width="${t.major ? 1 : 0.5}"/>`);
    if (t.major) out.push(`<text x="${px}" y="${PLOT.bottom + 18}" text-anchor="middle">${formatNumber(t.value)}</text>`);
  }
  for (const t of logTicks(yDomain)) {
    const py = f(y(t.value));
    out.push(`<line x1="${PLOT.left}" y1="${py}" x2="${PLOT.right}" y2="${py}" stroke="${COLORS.grid}" stroke-width="${t.major ? 1 : 0.5}"/>`);
    if (t.major) out.push(`<text x="${PLOT.left - 8}" y="${py}" dy="4" text-anchor="end">${formatNumber(t.value)}</text>`);
  }
  out.push(`<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="${COLORS.axis}"/>`);
  out.push(`<text x="${f((PLOT.left + PLOT.right) / 2)}" y="${PLOT.bottom + 42}" text-anchor="middle">${esc(`offered rate, deliveries/s (messages/s × ${run.groupSize} members of each group), log scale`)}</text>`);
  out.push(`<text transform="translate(20 ${f((PLOT.top + PLOT.bottom) / 2)}) rotate(-90)" text-anchor="middle">delivery latency, ms (log scale)</text>`);

  // targets
  const limitY = f(y(run.p99LimitMs));
  out.push(`<line x1="${PLOT.left}" y1="${limitY}" x2="${PLOT.right}" y2="${limitY}" stroke="${COLORS.target}" stroke-width="1.5" stroke-dasharray="8 4"/>`);
  out.push(`<text x="${PLOT.left + 6}" y="${limitY}" dy="-5" fill="${COLORS.target}">p99 target ${formatNumber(run.p99LimitMs)} ms</text>`);
  if (run.targetDeliveriesPerSecond >= xDomain[0] && run.targetDeliveriesPerSecond <= xDomain[1]) {
    const px = f(x(run.targetDeliveriesPerSecond));
    out.push(`<line x1="${px}" y1="${PLOT.top}" x2="${px}" y2="${PLOT.bottom}" stroke="${COLORS.target}" stroke-width="1" stroke-dasharray="2 4"/>`);
    out.push(`<text x="${px}" y="${PLOT.top + 14}" dx="-5" text-anchor="end" fill="${COLORS.target}">target ${formatNumber(run.targetDeliveriesPerSecond)} deliveries/s</text>`);
  }

  // series: a line through each rate's deciding attempt, a point for every attempt
  for (const s of series) {
    const line = decidingAttempts(s.steps)
      .filter((step) => step.deliveryMs[s.percentile] > 0)
      .map((step) => `${f(x(step.offeredDeliveriesPerSecond))},${f(y(step.deliveryMs[s.percentile]))}`);
    out.push(`<polyline points="${line.join(' ')}" fill="none" stroke="${s.color}" stroke-width="${s.percentile === 'p99' ? 2 : 1.5}"${dashOf(s)}/>`);
    for (const step of s.steps) {
      const value = step.deliveryMs[s.percentile];
      if (!(value > 0)) continue;
      const tip = `${s.label} at ${formatNumber(step.offeredDeliveriesPerSecond)} deliveries/s (${formatNumber(step.messagesPerSecond)} msg/s): ${formatNumber(value)} ms, ${step.pass ? 'passed' : 'failed'}${step.retry ? ' (run again)' : ''}`;
      out.push(marker(s, x(step.offeredDeliveriesPerSecond), y(value), step.pass, tip));
    }
  }

  out.push(...legend(series, run));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function titleOf(run: ChartRun): string {
  return `Fan-out into ${run.groupSize}-member groups: delivery latency against offered rate`;
}

function runLineOf(run: ChartRun): string {
  return `${run.mode} run of ${formatDate(run.date)}, commit ${run.commit}`;
}

function subtitleOf(run: ChartRun): string {
  const database = run.database === 'postgresql' ? 'PostgreSQL' : run.database;
  const instances = `${run.apiInstances} API instance${run.apiInstances === 1 ? '' : 's'}${run.observer ? ' (+ an observer)' : ''}`;
  return `${database}${run.redis ? ' + Redis' : ''}, ${instances}; ${formatNumber(run.users)} users${run.baseline.length > 0 ? '; API and raw ws baseline of the same run' : '; no baseline'}`;
}

/** Per rate, the attempt that decided it: the passing one if any, else the last. */
export function decidingAttempts(steps: ChartStep[]): ChartStep[] {
  const byRate = new Map<number, ChartStep>();
  for (const step of steps) {
    const seen = byRate.get(step.offeredDeliveriesPerSecond);
    if (!seen || !seen.pass) byRate.set(step.offeredDeliveriesPerSecond, step);
  }
  return [...byRate.values()].sort((a, b) => a.offeredDeliveriesPerSecond - b.offeredDeliveriesPerSecond);
}

const dashOf = (s: Series) => (s.percentile === 'p50' ? ' stroke-dasharray="5 3"' : '');

/** p99 a circle, p50 a square; filled when its step passed, hollow (white inside) when it failed. */
function marker(s: Series, cx: number, cy: number, pass: boolean, tip: string): string {
  const fill = pass ? s.color : '#fff';
  const shape =
    s.percentile === 'p99'
      ? `<circle cx="${f(cx)}" cy="${f(cy)}" r="4.5" fill="${fill}" stroke="${s.color}" stroke-width="1.5">`
      : `<rect x="${f(cx - 3.5)}" y="${f(cy - 3.5)}" width="7" height="7" fill="${fill}" stroke="${s.color}" stroke-width="1.5">`;
  return `${shape}<title>${esc(tip)}</title></${s.percentile === 'p99' ? 'circle' : 'rect'}>`;
}

function legend(series: Series[], run: ChartRun): string[] {
  const out: string[] = [];
  const left = PLOT.right + 20;
  let top = PLOT.top + 6;
  const entry = (draw: string, label: string) => {
    out.push(draw, `<text x="${left + 34}" y="${top}" dy="4">${esc(label)}</text>`);
    top += 22;
  };
  for (const s of series) {
    entry(
      `<line x1="${left}" y1="${top}" x2="${left + 26}" y2="${top}" stroke="${s.color}" stroke-width="${s.percentile === 'p99' ? 2 : 1.5}"${dashOf(s)}/>` + marker(s, left + 13, top, true, s.label),
      s.label,
    );
  }
  entry(`<line x1="${left}" y1="${top}" x2="${left + 26}" y2="${top}" stroke="${COLORS.target}" stroke-width="1.5" stroke-dasharray="8 4"/>`, `p99 target (${formatNumber(run.p99LimitMs)} ms)`);
  top += 8;
  entry(`<circle cx="${left + 13}" cy="${top}" r="4.5" fill="${COLORS.axis}" stroke="${COLORS.axis}" stroke-width="1.5"/>`, 'step passed');
  entry(`<circle cx="${left + 13}" cy="${top}" r="4.5" fill="#fff" stroke="${COLORS.axis}" stroke-width="1.5"/>`, 'step failed');
  const note = [`Failed: p99 over ${formatNumber(run.p99LimitMs)} ms, or a loss`, 'or a failed send. Where a rate', 'was tried twice, the line goes', 'through the passing attempt.'];
  out.push(`<text x="${left}" y="${top + 4}" font-size="11" fill="#555">${note.map((line, i) => `<tspan x="${left}" dy="${i === 0 ? 0 : 14}">${esc(line)}</tspan>`).join('')}</text>`);
  return out;
}

/** The 1-2-5 values around [min, max]. */
export function niceLogDomain(min: number, max: number): [number, number] {
  const steps = [1, 2, 5, 10];
  const below = (v: number) => {
    const decade = 10 ** Math.floor(Math.log10(v));
    return decade * [...steps].reverse().find((m) => decade * m <= v * (1 + 1e-9))!;
  };
  const above = (v: number) => {
    const decade = 10 ** Math.floor(Math.log10(v));
    return decade * steps.find((m) => decade * m >= v * (1 - 1e-9))!;
  };
  let low = below(min);
  let high = above(max);
  // a short range reads better over whole decades; one value alone (one rate) sits in the middle
  if (high / low < 10) [low, high] = [10 ** Math.floor(Math.log10(min)), 10 ** Math.ceil(Math.log10(max))];
  return high > low ? [low, high] : [below(min / 2), above(max * 2)];
}

/** `domain` widened by 3 % of its logarithmic span on each side. */
function padded([min, max]: [number, number]): [number, number] {
  const pad = (max / min) ** 0.03;
  return [min / pad, max * pad];
}

export function logScale([min, max]: [number, number], from: number, to: number): (value: number) => number {
  const span = Math.log10(max) - Math.log10(min);
  return (value) => from + ((Math.log10(value) - Math.log10(min)) / span) * (to - from);
}

/** Grid values 1, 2, 5 × 10^k inside the domain; all are labelled over a short span, only the decades over a long one. */
export function logTicks([min, max]: [number, number]): { value: number; major: boolean }[] {
  const decades = Math.log10(max / min);
  const ticks: { value: number; major: boolean }[] = [];
  for (let k = Math.floor(Math.log10(min)); k <= Math.ceil(Math.log10(max)); k++) {
    for (const m of [1, 2, 5]) {
      const value = Number((m * 10 ** k).toPrecision(6));
      if (value < min * (1 - 1e-9) || value > max * (1 + 1e-9)) continue;
      ticks.push({ value, major: m === 1 || decades <= 2.5 });
    }
  }
  return ticks;
}

const f = (n: number) => String(Math.round(n * 10) / 10);

function formatNumber(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : n < 100 ? 1 : 0 });
}

function formatDate(iso: string): string {
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

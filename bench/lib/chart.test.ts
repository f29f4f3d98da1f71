/** Run: node --import tsx --test bench/lib/chart.test.ts */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { chartRunOf, decidingAttempts, logScale, logTicks, niceLogDomain, renderChart, type ChartRun, type ChartStep } from './chart.js';

const step = (messagesPerSecond: number, p50: number, p99: number, pass = true, retry = false): ChartStep => ({
  messagesPerSecond,
  offeredDeliveriesPerSecond: messagesPerSecond * 10,
  deliveryMs: { p50, p99 },
  pass,
  retry,
});

const run = (overrides: Partial<ChartRun> = {}): ChartRun => ({
  date: '2026-11-26T23:50:18.678Z',
  commit: 'abc123def456+dirty',
  mode: 'full',
  database: 'postgresql',
  apiInstances: 2,
  redis: true,
  observer: true,
  users: 10_000,
  groupSize: 10,
  p99LimitMs: 100,
  targetDeliveriesPerSecond: 10_000,
  api: [step(25, 8, 17), step(100, 7, 85), step(450, 7.4, 336, false), step(450, 8.3, 225, false, true)],
  baseline: [step(25, 1.6, 6), step(3400, 19, 1491, false), step(3400, 2.2, 78, true, true)],
  ...overrides,
});

/** Every element closed in order: the document is well-formed as far as its tags go. */
function assertBalanced(svg: string) {
  const open: string[] = [];
  for (const [tag, close, name, selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (!close) open.push(name!);
    else assert.equal(open.pop(), name, `${tag} closes something else`);
  }
  assert.deepEqual(open, []);
}

const count = (svg: string, pattern: RegExp) => svg.match(pattern)?.length ?? 0;

test('the document is self-contained, well-formed SVG', () => {
  const svg = renderChart(run());
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assertBalanced(svg);
  // nothing to fetch or run: no links, scripts, style sheets, fonts or external images
  assert.doesNotMatch(svg, /href|<script|<style|@import|url\(|<image|<foreignObject/i);
  assert.equal(count(svg, /http/g), 1, 'only the namespace');
});

test('the title says the run: date, commit and mode; text is escaped', () => {
  const svg = renderChart(run({ commit: '<b>&"x"' }));
  assert.match(svg, /full run of 2026-11-26 23:50 UTC, commit &lt;b&gt;&amp;&quot;x&quot;/);
  assert.match(svg, /PostgreSQL \+ Redis, 2 API instances \(\+ an observer\); 10,000 users/);
  assert.match(svg, /offered rate, deliveries\/s/);
  assert.match(svg, /delivery latency, ms/);
});

test('every attempt is a point, hollow when its step failed', () => {
  const svg = renderChart(run());
  const points = [...svg.matchAll(/<(circle|rect) [^>]*fill="([^"]+)"[^>]*><title>([^<]*)<\/title>/g)].filter(([, , , tip]) => / at [\d,]+ deliveries\/s/.test(tip!));
  // 7 steps, each with a p50 and a p99 point
  assert.equal(points.length, 14);
  const hollow = points.filter(([, , fill]) => fill === '#fff');
  assert.equal(hollow.length, 6, 'three failed steps, two points each');
  assert.ok(hollow.every(([, , , tip]) => tip!.includes('failed')));
  assert.ok(points.filter(([, , fill]) => fill !== '#fff').every(([, , , tip]) => tip!.includes('passed')));
  assert.match(svg, /API p99 at 4,500 deliveries\/s \(450 msg\/s\): 225 ms, failed \(run again\)/);
});

test('the target line sits at the p99 limit on the log scale', () => {
  const svg = renderChart(run());
  const limit = /<line x1="(\d+)" y1="([\d.]+)" x2="\d+" y2="([\d.]+)" stroke="#c62828" stroke-width="1.5"/.exec(svg);
  assert.ok(limit, 'a horizontal target line');
  assert.equal(limit[2], limit[3]);
  // the 100 ms line lies between the 10 ms and 1,000 ms grid labels
  const labelY = (text: string) => Number(new RegExp(`y="([\\d.]+)" dy="4" text-anchor="end">${text}<`).exec(svg)![1]);
  const y = Number(limit[2]);
  assert.ok(labelY('1,000') < y && y < labelY('10'));
  assert.ok(Math.abs(y - (labelY('1,000') + labelY('10')) / 2) < 0.2, 'halfway on a log scale');
  assert.match(svg, /target 10,000 deliveries\/s/);
});

test('a run without baseline, a step with no deliveries, a quick run out of the target range', () => {
  const svg = renderChart(run({ baseline: [], api: [step(20, 0, 0, false), step(50, 5, 9)], mode: 'quick' }));
  assertBalanced(svg);
  assert.doesNotMatch(svg, /raw ws/);
  assert.doesNotMatch(svg, /NaN|Infinity/);
  assert.doesNotMatch(svg, /target 10,000/, 'the x axis stops well before it');
  assert.match(svg, /quick run/);
});

test('the line goes through the passing attempt at a rate tried twice, else the last', () => {
  const picked = decidingAttempts([step(100, 1, 2), step(300, 1, 500, false), step(300, 1, 80, true, true), step(450, 1, 300, false), step(450, 1, 400, false, true)]);
  assert.deepEqual(
    picked.map((s) => [s.messagesPerSecond, s.deliveryMs.p99]),
    [
      [100, 2],
      [300, 80],
      [450, 400],
    ],
  );
});

test('log axes: 1-2-5 bounds, ticks inside them, values placed by their logarithm', () => {
  assert.deepEqual(niceLogDomain(250, 50_000), [200, 50_000]);
  assert.deepEqual(niceLogDomain(1.17, 4445), [1, 5000]);
  assert.deepEqual(niceLogDomain(1000, 1000), [500, 2000]);
  assert.deepEqual(niceLogDomain(7, 7), [1, 10]);
  assert.deepEqual(niceLogDomain(200, 500), [100, 1000]);
  assert.deepEqual(
    logTicks([200, 5000]).map((t) => t.value),
    [200, 500, 1000, 2000, 5000],
  );
  assert.ok(logTicks([1, 5000]).every((t) => t.major === (t.value === 1 || t.value === 10 || t.value === 100 || t.value === 1000)));
  const x = logScale([1, 100], 0, 200);
  assert.equal(x(10), 100);
  assert.equal(x(100), 200);
});

test("renders the benchmark's own JSON (bench/results/latest-full.json)", () => {
  const report = JSON.parse(readFileSync(new URL('../results/latest-full.json', import.meta.url), 'utf8')) as { results: { api: { fanout: { steps: unknown[] } }; baseline: { fanout: { steps: unknown[] } } } };
  const chart = chartRunOf(report);
  assert.ok(chart);
  assert.equal(chart.api.length, report.results.api.fanout.steps.length);
  assert.equal(chart.baseline.length, report.results.baseline.fanout.steps.length);
  const svg = renderChart(chart);
  assertBalanced(svg);
  assert.doesNotMatch(svg, /NaN|Infinity|undefined/);
  assert.equal(count(svg, / deliveries\/s \([\d,]+ msg\/s\)/g), 2 * (chart.api.length + chart.baseline.length));
  assert.equal(chartRunOf({ results: { api: { history: {} } } }), undefined, 'a run without fan-out has no chart');
});

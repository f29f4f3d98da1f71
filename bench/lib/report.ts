/** The run's verdicts: ratios to the baseline, the targets, and the summary table. */

/** Deliveries that went wrong, over the whole run. */
export type Verdicts = { lost: number; duplicated: number; strays: number; failedSends: number; unexpectedCloses: number };

/** `n` to `digits` decimals, for the figures the run prints and writes. */
export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export type Figures = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function ratiosOf(api: Figures, base: Figures) {
  const atSameRate = (() => {
    const a = api.fanout.sustainable;
    if (!a) return undefined;
    // the baseline's passing attempt at that rate (a failed step may have been run again)
    const b = (base.fanout.steps as Figures[]).filter((s) => s.messagesPerSecond === a.messagesPerSecond).sort((x, y) => Number(y.pass) - Number(x.pass))[0];
    return b ? { messagesPerSecond: a.messagesPerSecond, deliveryP99: round(a.deliveryMs.p99 / Math.max(0.01, b.deliveryMs.p99), 1), serverCpu: round(a.serverCpuPct / Math.max(0.1, b.serverCpuPct), 1) } : undefined;
  })();
  return {
    kbPerIdleConnection: round(api.idle.kbPerConnection / Math.max(0.01, base.idle.kbPerConnection), 1),
    sustainableDeliveriesPerSecond: base.fanout.sustainable && api.fanout.sustainable ? round(api.fanout.sustainable.offeredDeliveriesPerSecond / base.fanout.sustainable.offeredDeliveriesPerSecond, 3) : null,
    atApisSustainableRate: atSameRate,
    bigRoomLastRecipientP99: round(api.bigRoom.lastRecipientMs.p99 / Math.max(0.01, base.bigRoom.lastRecipientMs.p99), 1),
  };
}

export function targetsOf(api: Figures | undefined, hs: Figures | undefined, searchMessages: number, totals: Verdicts) {
  const t = (target: string, measured: unknown, met: boolean) => ({ target, measured, met });
  const targets: Record<string, ReturnType<typeof t>> = {};
  if (api) {
    const sustained = api.fanout.sustainable?.offeredDeliveriesPerSecond ?? 0;
    targets.fanoutDeliveriesPerSecond = t('≥ 10,000 at p99 ≤ 100 ms', sustained, sustained >= 10_000);
    targets.kbPerIdleConnection = t(`≤ 40 KB at 10,000 (measured at ${api.idle.connections})`, api.idle.kbPerConnection, api.idle.kbPerConnection <= 40 && api.idle.connections >= 10_000);
    targets.bigRoomLastRecipientP99Ms = t('≤ 100 ms', api.bigRoom.lastRecipientMs.p99, api.bigRoom.lastRecipientMs.p99 <= 100);
  }
  if (hs) {
    const searchP95 = Math.max(...Object.values(hs.search as Figures).map((c: Figures) => c.latencyMs.p95));
    targets.historyPageP95Ms = t('≤ 10 ms', hs.history.latencyMs.p95, hs.history.latencyMs.p95 <= 10);
    targets.searchP95Ms = t(`≤ 100 ms at 1,000,000 (measured at ${searchMessages}, worst query class)`, searchP95, searchP95 <= 100 && searchMessages >= 1_000_000);
  }
  targets.lostOrDuplicated = t('0', totals.lost + totals.duplicated, totals.lost + totals.duplicated === 0);
  return targets;
}

export function printSummary(report: Figures, totals: Verdicts, log: (line: string) => void) {
  const r = report.results;
  log('\n══ summary ══');
  log(`machine: ${report.machine.cpus} × ${report.machine.model}, ${report.machine.memoryGiB} GiB; commit ${report.commit}; ${report.database}, ${report.apiInstances} API instance(s)${report.redis ? ' over Redis' : ''}${report.observer ? ' + an observer instance' : ''}`);
  const row = (label: string, api: unknown, base: unknown, ratio: unknown) => log(`${label.padEnd(44)} ${String(api).padStart(16)} ${String(base ?? '-').padStart(16)} ${String(ratio ?? '-').padStart(8)}`);
  row('', 'api', 'ws baseline', 'ratio');
  const b = r.baseline;
  if (r.api.idle) printRealtime(r, b, row);
  if (r.api.history) {
    row('history: page p50/p95 ms', `${r.api.history.latencyMs.p50}/${r.api.history.latencyMs.p95}`, null, null);
    for (const [label, c] of Object.entries(r.api.search as Figures)) row(`search: ${label} p50/p95 ms`.slice(0, 44), `${c.latencyMs.p50}/${c.latencyMs.p95}`, null, null);
  }
  log('\ntargets (issue #5):');
  for (const [name, t] of Object.entries(report.targets as Figures)) log(`  ${t.met ? 'met   ' : 'MISSED'} ${name}: ${t.measured} (target ${t.target})`);
  log(`\nlost ${totals.lost}, duplicated ${totals.duplicated}, to non-members ${totals.strays}, failed sends ${totals.failedSends}, unexpected socket closes ${totals.unexpectedCloses}`);
}

function printRealtime(r: Figures, b: Figures | undefined, row: (label: string, api: unknown, base: unknown, ratio: unknown) => void) {
  row('idle: KB per connection (live, after GC)', r.api.idle.kbPerConnection, b?.idle.kbPerConnection, r.ratiosToBaseline?.kbPerIdleConnection);
  row('idle: RSS growth KB per connection', r.api.idle.rssKbPerConnection, b?.idle.rssKbPerConnection, null);
  row('idle: connections held', r.api.idle.connections, b?.idle.connections, null);
  const s = r.api.fanout.sustainable;
  const bs = b?.fanout.sustainable;
  row('fan-out: sustainable deliveries/s', s?.offeredDeliveriesPerSecond ?? 0, bs?.offeredDeliveriesPerSecond, r.ratiosToBaseline?.sustainableDeliveriesPerSecond);
  row('  at it: delivery p50/p99 ms', s ? `${s.deliveryMs.p50}/${s.deliveryMs.p99}` : '-', bs ? `${bs.deliveryMs.p50}/${bs.deliveryMs.p99}` : '-', null);
  row('  at it: ack p50/p99 ms', s ? `${s.ackMs.p50}/${s.ackMs.p99}` : '-', bs ? `${bs.ackMs.p50}/${bs.ackMs.p99}` : '-', null);
  row('  at it: server CPU % / generator CPU %', s ? `${s.serverCpuPct}/${s.generatorCpuPct}` : '-', bs ? `${bs.serverCpuPct}/${bs.generatorCpuPct}` : '-', null);
  if (s?.observerCpuPerEventUs !== undefined) row('  at it: observer instance CPU µs per event', s.observerCpuPerEventUs, null, null);
  if (r.ratiosToBaseline?.atApisSustainableRate) row(`  api ÷ baseline at ${r.ratiosToBaseline.atApisSustainableRate.messagesPerSecond} msg/s: p99, CPU`, '', '', `${r.ratiosToBaseline.atApisSustainableRate.deliveryP99}, ${r.ratiosToBaseline.atApisSustainableRate.serverCpu}`);
  row('big room: last recipient p50/p99 ms', `${r.api.bigRoom.lastRecipientMs.p50}/${r.api.bigRoom.lastRecipientMs.p99}`, b ? `${b.bigRoom.lastRecipientMs.p50}/${b.bigRoom.lastRecipientMs.p99}` : '-', r.ratiosToBaseline?.bigRoomLastRecipientP99);
}

import { describe, expect, it } from 'vitest';
import { Metrics, OPERATION_NAME_LENGTH_MAX, OPERATION_NAMES_MAX } from './metrics.js';

describe('Metrics', () => {
  it('keeps valid operation names of a sane length as labels, the rest as "other"', () => {
    const metrics = new Metrics();
    expect(metrics.operationLabel('SendMessage')).toBe('SendMessage');
    expect(metrics.operationLabel('_private9')).toBe('_private9');
    expect(metrics.operationLabel(undefined)).toBe('anonymous');
    expect(metrics.operationLabel('')).toBe('anonymous');
    expect(metrics.operationLabel('x'.repeat(OPERATION_NAME_LENGTH_MAX))).toBe('x'.repeat(OPERATION_NAME_LENGTH_MAX));
    for (const name of ['x'.repeat(OPERATION_NAME_LENGTH_MAX + 1), '9lives', 'two words', 'quote"d', 'new\nline', 'ünïcode']) {
      expect(metrics.operationLabel(name), JSON.stringify(name)).toBe('other');
    }
  });

  it(`keeps the first ${OPERATION_NAMES_MAX} distinct names; later ones are "other", earlier ones stay`, () => {
    const metrics = new Metrics();
    for (let i = 0; i < OPERATION_NAMES_MAX; i++) expect(metrics.operationLabel(`Op${i}`)).toBe(`Op${i}`);
    expect(metrics.operationLabel('OneTooMany')).toBe('other');
    expect(metrics.operationLabel(undefined)).toBe('other');
    expect(metrics.operationLabel('Op0')).toBe('Op0');
  });

  it("counts into each server's own registry, with the process's metrics in each answer", async () => {
    const one = new Metrics();
    const other = new Metrics();
    one.eventPublished('MESSAGE_ADDED');
    one.eventDelivered('MESSAGE_ADDED', Date.now() - 30);
    const [text, otherText] = [await one.text(), await other.text()];
    expect(text).toContain('dash_events_published_total{type="MESSAGE_ADDED"} 1');
    expect(text).toContain('dash_events_delivered_total{type="MESSAGE_ADDED"} 1');
    expect(text).toMatch(/^dash_event_delivery_lag_seconds_bucket\{le="0.05"\} 1$/m);
    expect(text).toMatch(/^dash_event_delivery_lag_seconds_bucket\{le="0.01"\} 0$/m);
    expect(otherText).not.toContain('dash_events_delivered_total{');
    for (const body of [text, otherText]) {
      expect(body).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
      expect(body.match(/^# TYPE process_cpu_seconds_total /gm)).toHaveLength(1);
    }
    expect(one.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});

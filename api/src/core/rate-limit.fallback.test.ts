/**
 * A limit counted in Redis keeps limiting while Redis does not answer: per instance, at
 * once (no wait for a reconnection), and said once in the log, not once per request.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import type { Logger } from './logger.js';
import { createLimiter, LimitsFallback } from './rate-limit.js';
import { createCommandClient } from './redis.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A logger that keeps what it is told. */
function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const record = (level: string) => (_details: object, message: string) => void lines.push({ level, message });
  return { lines, logger: { warn: record('warn'), info: record('info') } as unknown as Logger };
}

const clients: Redis[] = [];
function client(url: string): Redis {
  const made = createCommandClient(url, () => {});
  clients.push(made);
  return made;
}
afterEach(() => {
  for (const made of clients.splice(0)) made.disconnect();
});

const codeOf = (work: Promise<void>) => work.then(() => 'ok', (error: { extensions?: { code?: string } }) => error.extensions?.code ?? String(error));

describe('a rate limit whose Redis does not answer', () => {
  it('counts in this instance at once, limits as before, and says so once', async () => {
    const { lines, logger } = recordingLogger();
    const fallback = new LimitsFallback(logger);
    // Nothing listens on port 1: every command is refused at once.
    const limiter = createLimiter('test', { points: 3, durationSeconds: 60 }, { redis: client('redis://127.0.0.1:1'), fallback });
    // At once, told without a clock: with timers stopped every answer still comes, so none
    // waited for a reconnection or a command timeout. (If one did, the race ends it after
    // 30 s of real time instead of letting the test hang.)
    const realSetTimeout = globalThis.setTimeout;
    const waitedForATimer = () => new Promise<string>((resolve) => realSetTimeout(() => resolve('waited for a timer'), 30_000).unref());
    const answers = [];
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      for (let i = 0; i < 5; i++) answers.push(await Promise.race([codeOf(limiter.consume('someone')), waitedForATimer()]));
    } finally {
      vi.useRealTimers();
    }
    expect(answers).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(await codeOf(limiter.consume('someone else'))).toBe('ok');
    expect(lines).toEqual([{ level: 'warn', message: expect.stringContaining('rate limits fell back') }]);
  });

  it('goes back to Redis, and says so once, when Redis answers again', async () => {
    const { lines, logger } = recordingLogger();
    const fallback = new LimitsFallback(logger);
    const away = createLimiter('test', { points: 3, durationSeconds: 60 }, { redis: client('redis://127.0.0.1:1'), fallback });
    const redis = client(REDIS_URL);
    await new Promise((resolve) => redis.once('ready', resolve));
    const back = createLimiter('test', { points: 3, durationSeconds: 60 }, { redis, fallback });
    const key = randomUUID();

    await away.consume(key);
    await back.consume(key);
    await back.consume(key);
    expect(lines.map((line) => line.level)).toEqual(['warn', 'info']);
    expect(lines[1]!.message).toContain('counted in Redis again');
    // What was counted in Redis is what limits now.
    await back.consume(key);
    expect(await codeOf(back.consume(key))).toBe('RATE_LIMITED');
  });
});

import { describe, expect, it } from 'vitest';
import { describeUserAgent, sortSessions } from './useSettingsSessions';
import type { SessionData } from '../graphql/account';

describe('describeUserAgent', () => {
  it('names the browser and the system', () => {
    expect(describeUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36')).toEqual({ browser: 'Chrome', system: 'Linux' });
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36 Edg/138.0.0.0')).toEqual({ browser: 'Edge', system: 'Windows' });
    expect(describeUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toEqual({ browser: 'Safari', system: 'iOS' });
    expect(describeUserAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0')).toEqual({ browser: 'Firefox', system: 'macOS' });
    expect(describeUserAgent('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36')).toEqual({ browser: 'Chrome', system: 'Android' });
  });

  it('admits what it does not know', () => {
    expect(describeUserAgent(null)).toEqual({ browser: null, system: null });
    expect(describeUserAgent('curl/8.5.0')).toEqual({ browser: null, system: null });
  });
});

describe('sortSessions', () => {
  const session = (id: string, lastUsedAt: string, current = false): SessionData => ({
    id,
    current,
    lastUsedAt,
    createdAt: lastUsedAt,
    userAgent: null,
    ip: null,
  });

  it('puts this device first, then the most recently used', () => {
    const sorted = sortSessions([
      session('old', '2025-01-01T00:00:00.000Z'),
      session('here', '2025-01-02T00:00:00.000Z', true),
      session('new', '2025-01-03T00:00:00.000Z'),
    ]);
    expect(sorted.map((s) => s.id)).toEqual(['here', 'new', 'old']);
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { startTestServer, type TestServer } from '../../../test/server.js';
import { EmailTokens } from './email-tokens.js';

let server: TestServer;
let tokens: EmailTokens;
let user: TestUser;
beforeAll(async () => {
  server = await startTestServer();
  tokens = new EmailTokens(server.db.prisma);
  user = await registerUser(server);
});
afterAll(() => server.close());

const code = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: { extensions?: { code?: string } }) => error.extensions?.code);

describe('email tokens', () => {
  it('are stored hashed, used once, and only for their purpose', async () => {
    const token = await tokens.issue(user.id, 'RESET_PASSWORD');
    const rows = await server.db.prisma.emailToken.findMany({ where: { userId: user.id } });
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await code(tokens.consume(token, 'VERIFY_EMAIL'))).toBe('INVALID_TOKEN');
    expect((await tokens.consume(token, 'RESET_PASSWORD')).userId).toBe(user.id);
    expect(await code(tokens.consume(token, 'RESET_PASSWORD'))).toBe('INVALID_TOKEN');
  });

  it('are superseded by a newer one for the same purpose, and one of two uses at once wins', async () => {
    const first = await tokens.issue(user.id, 'VERIFY_EMAIL');
    const second = await tokens.issue(user.id, 'VERIFY_EMAIL');
    expect(await code(tokens.consume(first, 'VERIFY_EMAIL'))).toBe('INVALID_TOKEN');
    const results = await Promise.all([code(tokens.consume(second, 'VERIFY_EMAIL')), code(tokens.consume(second, 'VERIFY_EMAIL'))]);
    expect(results.sort()).toEqual(['INVALID_TOKEN', 'ok']);
  });

  it('expire, and are purged once used or expired', async () => {
    const token = await tokens.issue(user.id, 'CHANGE_EMAIL', 'new@example.test');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 24 * 60 * 60_000 + 1);
      expect(await code(tokens.consume(token, 'CHANGE_EMAIL'))).toBe('INVALID_TOKEN');
      expect(await tokens.purge()).toBeGreaterThan(0);
      expect(await server.db.prisma.emailToken.count({ where: { userId: user.id } })).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuse garbage without asking the database', async () => {
    for (const token of ['', 'short', 'x'.repeat(500), 'has spaces in it and more']) expect(await code(tokens.consume(token, 'RESET_PASSWORD'))).toBe('INVALID_TOKEN');
  });
});

import { describe, expect, it, vi } from 'vitest';
import { startTestServer, wsQuery, type TestServer } from '../../test/server.js';
import { login, registerUser, uniqueName, PASSWORD } from '../../test/factories.js';
import { createGroup, send, SEND } from '../../test/messenger.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function withServers(count: number, env: Record<string, string>, redis: boolean, work: (servers: TestServer[]) => Promise<void>) {
  const servers = await Promise.all(
    Array.from({ length: count }, () => startTestServer(redis ? { redisUrl: REDIS_URL } : {}, env)),
  );
  try {
    await work(servers);
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}

/**
 * Every window is an hour: no run, however slow the machine, crosses one by accident. The
 * one test that needs a window to end moves the clock instead (see `withStoppedClock`).
 */
const HOUR = 3600;

/**
 * Runs `work` with Date stopped at the real time and hands it a way to move Date on. The
 * in-memory limiter measures its windows with Date.now(); only Date is replaced, so timers,
 * PostgreSQL and the HTTP client keep real time.
 */
async function withStoppedClock(work: (advanceSeconds: (seconds: number) => void) => Promise<void>): Promise<void> {
  let now = Date.now();
  vi.setSystemTime(now);
  try {
    await work((seconds) => vi.setSystemTime((now += seconds * 1000)));
  } finally {
    vi.useRealTimers();
  }
}

describe('login rate limit per account', () => {
  it('answers RATE_LIMITED with retryAfter after too many failures, even for the right password, then recovers', async () => {
    await withServers(1, { RATE_LIMIT_LOGIN_PER_ACCOUNT: '3/1h' }, false, async ([server]) => {
      const user = await registerUser(server!);
      await withStoppedClock(async (advanceSeconds) => {
        for (let i = 0; i < 3; i++) {
          expect((await login(server!, user.username, 'wrong password')).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
        }
        const limited = await login(server!, user.username, user.password);
        expect(limited.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: HOUR });
        expect(limited.errors?.[0]?.message).toMatch(new RegExp(`Try again in ${HOUR} s`));

        advanceSeconds(HOUR - 1);
        expect((await login(server!, user.username, user.password)).errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 1 });
        advanceSeconds(1);
        expect((await login(server!, user.username, user.password)).data?.login.me.id).toBe(user.id);
      });
    });
  });

  it('counts an unknown account like a known one', async () => {
    await withServers(1, { RATE_LIMIT_LOGIN_PER_ACCOUNT: '2/1h' }, false, async ([server]) => {
      const ghost = uniqueName('ghost');
      await login(server!, ghost, 'x'.repeat(8));
      await login(server!, ghost, 'x'.repeat(8));
      expect((await login(server!, ghost, 'x'.repeat(8))).errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
    });
  });

  it('is one budget per account, whether it is named by user name or by email, in any case', async () => {
    await withServers(1, { RATE_LIMIT_LOGIN_PER_ACCOUNT: '4/1h' }, false, async ([server]) => {
      const user = await registerUser(server!);
      for (const name of [user.username, user.email, user.username.toUpperCase(), ` ${user.email.toUpperCase()} `]) {
        expect((await login(server!, name, 'wrong password')).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
      }
      for (const name of [user.username, user.email]) {
        expect((await login(server!, name, user.password)).errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
      }
      // Someone else's budget is untouched.
      const other = await registerUser(server!);
      expect((await login(server!, other.email, other.password)).data?.login.me.id).toBe(other.id);
    });
  });

  it('counts attempts made at once before checking any password: a burst gets no more tries than the budget', async () => {
    await withServers(1, { RATE_LIMIT_LOGIN_PER_ACCOUNT: '3/1h' }, false, async ([server]) => {
      const user = await registerUser(server!);
      // 29 wrong guesses and the right password, all at once.
      const guesses = [...Array.from({ length: 29 }, (_, i) => `wrong password ${i}`), user.password];
      const answers = await Promise.all(guesses.map((password) => login(server!, user.username, password)));
      const checked = answers.filter((answer) => answer.errors?.[0]?.extensions.code !== 'RATE_LIMITED');
      expect(checked.length).toBeLessThanOrEqual(3);
      // Whatever was not checked said nothing about the password.
      for (const answer of answers) if (!checked.includes(answer)) expect(answer.data).toBeFalsy();
    });
  });

  it('forgets failures after a successful login', async () => {
    await withServers(1, { RATE_LIMIT_LOGIN_PER_ACCOUNT: '3/1h' }, false, async ([server]) => {
      const user = await registerUser(server!);
      await login(server!, user.username, 'wrong password');
      await login(server!, user.username, 'wrong password');
      expect((await login(server!, user.username, user.password)).data?.login).toBeTruthy();
      await login(server!, user.username, 'wrong password');
      await login(server!, user.username, 'wrong password');
      expect((await login(server!, user.username, user.password)).data?.login).toBeTruthy();
    });
  });

  it('is shared by instances through Redis', async () => {
    await withServers(2, { RATE_LIMIT_LOGIN_PER_ACCOUNT: '2/1h' }, true, async ([a, b]) => {
      const user = await registerUser(a!);
      await login(a!, user.username, 'wrong password');
      await login(b!, user.username, 'wrong password');
      expect((await login(a!, user.username, user.password)).errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
      expect((await login(b!, user.username, user.password)).errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
    });
  });
});

describe('send rate limit', () => {
  it('answers RATE_LIMITED past the limit, writing nothing, while retries of sent messages still answer', async () => {
    await withServers(1, { RATE_LIMIT_SEND_PER_ACCOUNT: '3/1h' }, false, async ([server]) => {
      const [alice, bob] = await Promise.all([registerUser(server!), registerUser(server!)]);
      const group = await createGroup(server!, alice, [bob]);
      const sent = [];
      for (let i = 0; i < 3; i++) sent.push(await send(server!, alice, group, `m${i}`, { clientMsgId: `k${i}` }));
      const limited = await server!.gql(SEND, { input: { conversationId: group, body: 'one too many', clientMsgId: 'k3' } }, alice.token);
      expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
      expect(await server!.db.prisma.message.count({ where: { conversationId: group, kind: 'TEXT' } })).toBe(3);
      // the socket is the same limit, not a way round it
      const socket = server!.socket({ token: alice.token });
      await socket.connected;
      const overSocket = await wsQuery(socket.client, SEND, { input: { conversationId: group, body: 'one too many', clientMsgId: 'k4' } });
      expect(overSocket.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
      expect(await server!.db.prisma.message.count({ where: { conversationId: group, kind: 'TEXT' } })).toBe(3);
      // A retry of a message already sent is answered with it, limit or not; other people are not limited.
      expect((await send(server!, alice, group, 'm0', { clientMsgId: 'k0' })).id).toBe(sent[0]!.id);
      await send(server!, bob, group, 'bob is fine');
    });
  });
});

describe('per-IP limits', () => {
  it('limits logins per IP across accounts', async () => {
    await withServers(1, { RATE_LIMIT_LOGIN_PER_IP: '3/1h' }, false, async ([server]) => {
      for (let i = 0; i < 3; i++) await login(server!, uniqueName('ip'), 'whatever-password');
      const limited = await login(server!, uniqueName('ip'), 'whatever-password');
      expect(limited.errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
    });
  });

  it('limits registrations per IP and writes nothing when limited', async () => {
    await withServers(1, { RATE_LIMIT_REGISTER_PER_IP: '2/1h' }, false, async ([server]) => {
      await registerUser(server!);
      await registerUser(server!);
      const username = uniqueName('late');
      const limited = await server!.gql('mutation($input: RegisterInput!) { register(input: $input) { token } }', {
        input: { username, email: `${username}@example.test`, password: PASSWORD },
      });
      expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
      expect(await server!.db.prisma.user.count({ where: { username } })).toBe(0);
    });
  });
});

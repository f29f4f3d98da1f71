/**
 * What the server writes to its log when clients send it malformed, over-size or hostile
 * requests carrying a password and a token: every line is one JSON object, and neither
 * secret appears, in production and in development, at the most verbose level. The
 * clients get JSON errors with stable codes and nothing of the server's insides.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApi, type ApiProcess } from './processes.js';
import { rawSocket } from './raw-socket.js';

const password = `Secret-${randomBytes(6).toString('hex')}`;
const token = `dsh_${randomBytes(32).toString('base64url')}`;
const loginBody = JSON.stringify({
  query: 'mutation($input: LoginInput!) { login(input: $input) { token } }',
  variables: { input: { login: 'demo', password } },
});

type Sent = { status: number; contentType: string | null; body: string };

async function post(api: ApiProcess, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<Sent> {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body,
  });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

/** Everything hostile this file sends, over HTTP and WebSocket; returns the HTTP answers by name. */
async function sendHostileRequests(api: ApiProcess): Promise<Record<string, Sent>> {
  const answers: Record<string, Sent> = {
    cutShort: await post(api, loginBody.slice(0, loginBody.indexOf(password) + 4)),
    trailingGarbage: await post(api, `${loginBody}}`),
    overSize: await post(api, JSON.stringify({ query: '{ me { id } }', variables: { password, pad: 'x'.repeat(1_200_000) } })),
    badCharset: await post(api, loginBody, { 'content-type': 'application/json; charset=klingon' }),
    badEncoding: await post(api, loginBody, { 'content-encoding': 'gzip' }),
    nulInName: await post(api, JSON.stringify({ ...JSON.parse(loginBody), variables: { input: { login: 'de\u0000mo', password } } })),
    subscriptionOverPost: await post(api, JSON.stringify({ query: 'subscription { events { __typename } }', variables: { p: password } })),
    notAnObject: await post(api, JSON.stringify([password])),
    wrongPassword: await post(api, loginBody),
  };

  // Over the socket: a bad token, garbage, an over-size frame and an unparsable operation, each carrying the secrets.
  const cases: ((socket: ReturnType<typeof rawSocket>) => void)[] = [
    (s) => s.send({ type: 'connection_init', payload: { token, password } }),
    (s) => s.ws.send(`{"type":"connection_init","payload":{"password":"${password}"`),
    (s) => s.ws.send(JSON.stringify({ type: 'ping', payload: { password, pad: 'x'.repeat(200_000) } })),
    (s) => s.send({ type: 'subscribe', id: '1', payload: { query: `{ ${password} }` } }),
  ];
  for (const act of cases) {
    const socket = rawSocket(api.wsUrl, { authorization: `Bearer ${token}` });
    await socket.opened;
    act(socket);
    await socket.closed;
  }
  return answers;
}

function checkLog(api: ApiProcess): void {
  expect(api.logs.length).toBeGreaterThan(0);
  for (const line of api.logs) {
    let parsed: unknown;
    expect(() => (parsed = JSON.parse(line)), `not one JSON object: ${line}`).not.toThrow();
    expect(parsed, line).toBeTypeOf('object');
    expect(line).not.toContain(password);
    expect(line).not.toContain(token);
    expect(line).not.toContain(token.slice(4, 20));
  }
}

function checkAnswers(answers: Record<string, Sent>): void {
  const expected: Record<string, [number, string]> = {
    cutShort: [400, 'BAD_REQUEST'],
    trailingGarbage: [400, 'BAD_REQUEST'],
    overSize: [413, 'PAYLOAD_TOO_LARGE'],
    badCharset: [415, 'BAD_REQUEST'],
    badEncoding: [400, 'BAD_REQUEST'],
    notAnObject: [400, 'BAD_REQUEST'],
  };
  for (const [name, [status, code]] of Object.entries(expected)) {
    const answer = answers[name]!;
    expect({ name, status: answer.status, type: answer.contentType }).toEqual({ name, status, type: expect.stringMatching(/json/) });
    expect(JSON.parse(answer.body), name).toEqual({ errors: [{ message: expect.any(String), extensions: expect.objectContaining({ code }) }] });
  }
  expect(JSON.parse(answers.nulInName!.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(JSON.parse(answers.subscriptionOverPost!.body).errors[0].extensions.code).toBe('BAD_REQUEST');
  for (const [name, answer] of Object.entries(answers)) {
    expect(answer.body, name).not.toContain(password);
    expect(answer.body, name).not.toMatch(/node_modules|\/work\/|\bat .+:\d+:\d+/);
  }
}

describe.each(['production', 'development'] as const)('the log of a %s server under hostile requests', (mode) => {
  let api: ApiProcess;
  let answers: Record<string, Sent>;
  beforeAll(async () => {
    api = await startApi({ env: { NODE_ENV: mode, LOG_LEVEL: 'trace', DATABASE_URL: inject('databaseUrl'), SEED_DEMO: 'false' } });
    answers = await sendHostileRequests(api);
  });
  afterAll(async () => {
    expect(await api.stop(), api.logs.join('\n')).toBe(0);
  });

  it('is JSON lines without the password or the token', () => checkLog(api));
  it('answered each mistake with a JSON error and a stable code, with no internals', () => checkAnswers(answers));
});

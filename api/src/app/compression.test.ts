import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../test/server.js';
import { rawRequest } from '../../test/web-dist.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function post(query: string, acceptEncoding: string) {
  return rawRequest(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-encoding': acceptEncoding },
    body: JSON.stringify({ query }),
  });
}

/** Every type with its fields: tens of kilobytes of JSON. */
const LARGE = '{ __schema { types { name description fields { name description } } } }';

describe('compression', () => {
  it('compresses a large GraphQL answer, brotli when the client takes it, else gzip', async () => {
    const plain = await post(LARGE, 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const expected = JSON.parse(plain.body.toString()) as { data: unknown };
    expect(expected.data).toBeTruthy();

    const br = await post(LARGE, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(br.body).toString())).toEqual(expected);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);

    const gzip = await post(LARGE, 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.body).toString())).toEqual(expected);
    for (const response of [plain, br, gzip]) expect(response.headers['vary']).toContain('Accept-Encoding');
  });

  it('leaves a tiny GraphQL answer as it is', async () => {
    const small = await post('{ __typename }', 'gzip, deflate, br');
    expect(small.status).toBe(200);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toEqual({ data: { __typename: 'Query' } });
  });

  it('never compresses WebSocket frames, even when the client offers permessage-deflate', async () => {
    const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws', { perMessageDeflate: true });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    expect(socket.extensions).toBe('');
    socket.close();
  });
});

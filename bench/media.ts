/**
 * `npm run bench:media`: the media pipeline against the real API (one process, as `npm start`
 * runs it) on a throwaway PostgreSQL database (issue #16). Not part of `npm test`: its numbers
 * are reported, not asserted.
 *
 * - upload throughput, one upload at a time: photos (camera-sized JPEGs, decoded, re-encoded,
 *   thumbnailed) and files (stored as they are), in MB of upload per second, with p50 per upload;
 * - upload → the other side: one member uploads a photo and sends it; the time until another
 *   member's socket receives the MessageAddedEvent, and until that member has fetched the
 *   thumbnail the event names (both ends on this machine's clock), p50 and p95.
 *
 *   npm run bench:media                                # local disk storage
 *   npm run bench:media -- --storage=s3                # S3 protocol (s3rver, as the tests use)
 *   npm run bench:media -- --photos=20 --files=3 --file-mb=50 --messages=30
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient } from 'graphql-ws';
import sharp from 'sharp';
import WebSocket from 'ws';
import { startS3Server, type S3TestServer } from '../api/test/s3-server.js';
import { createThrowawayDatabase } from './lib/db.js';
import { startApiInstance, type ApiInstance } from './lib/servers.js';

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}
const PHOTOS = Number(option('photos', '20'));
const FILES = Number(option('files', '3'));
const FILE_MB = Number(option('file-mb', '50'));
const MESSAGES = Number(option('messages', '30'));
const STORAGE = option('storage', 'local');
const adminUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
const ms = (value: number) => `${value.toFixed(0)} ms`;

/** A camera-like photo: smooth gradients with noise, so JPEG neither shrinks it to nothing nor bloats it. */
async function cameraPhoto(width: number, height: number, seed: number): Promise<Buffer> {
  const noise = randomBytes(Math.floor(width / 8) * Math.floor(height / 8) * 3);
  const texture = await sharp(noise, { raw: { width: Math.floor(width / 8), height: Math.floor(height / 8), channels: 3 } }).resize(width, height, { kernel: 'cubic' }).png().toBuffer();
  return sharp({ create: { width, height, channels: 3, background: { r: (seed * 37) % 256, g: 120, b: 200 } } })
    .composite([{ input: texture, blend: 'overlay' }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function gql<T>(api: ApiInstance, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const result = (await response.json()) as { data?: T; errors?: unknown };
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

async function register(api: ApiInstance): Promise<{ id: string; token: string }> {
  const username = `bench_${randomBytes(4).toString('hex')}`;
  const data = await gql<{ register: { token: string; me: { id: string } } }>(
    api,
    'mutation($input: RegisterInput!) { register(input: $input) { token me { id } } }',
    { input: { username, email: `${username}@example.test`, password: 'correct horse battery staple' } },
  );
  return { id: data.register.me.id, token: data.register.token };
}

/**
 * Posts one file as multipart/form-data over node:http, its bytes written as they are: fetch's
 * FormData encoder spent more CPU than the server (16 MB/s for 50 MB files, against ~270 MB/s
 * from curl), on the same two cores.
 */
function upload(api: ApiInstance, token: string, purpose: string, file: Buffer, name: string): Promise<{ id: string }> {
  const boundary = `dash-bench-${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const request = http.request(`${api.url}/media?purpose=${purpose}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + file.length + tail.length),
      },
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: string; errors?: unknown };
        if (response.statusCode !== 201 || !body.id) reject(new Error(`upload failed (${response.statusCode}): ${JSON.stringify(body.errors)}`));
        else resolve({ id: body.id });
      });
    });
    request.on('error', reject);
    request.write(head);
    request.write(file);
    request.end(tail);
  });
}

/** Uploads each of `files` in turn; MB/s over all and p50 per upload. */
async function throughput(api: ApiInstance, token: string, purpose: string, files: Buffer[]) {
  const times: number[] = [];
  let bytes = 0;
  const started = performance.now();
  for (const [i, file] of files.entries()) {
    const t0 = performance.now();
    await upload(api, token, purpose, file, `${purpose}-${i}`);
    times.push(performance.now() - t0);
    bytes += file.length;
  }
  const seconds = (performance.now() - started) / 1000;
  return { uploads: files.length, averageMB: bytes / files.length / 1024 ** 2, mbPerSecond: bytes / 1024 ** 2 / seconds, p50: quantile(times, 0.5) };
}

async function main(): Promise<void> {
  const database = await createThrowawayDatabase(adminUrl);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dash-bench-media-'));
  let s3: S3TestServer | undefined;
  let api: ApiInstance | undefined;
  try {
    if (STORAGE === 's3') s3 = await startS3Server('dash-bench-media');
    api = await startApiInstance({
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      ENV_FILE: '',
      // info: the start-up line that says the port is an info line.
      LOG_LEVEL: 'info',
      SEED_DEMO: 'false',
      SECRET_KEY: randomBytes(32).toString('base64'),
      RATE_LIMIT_REGISTER_PER_IP: '1000/1m',
      RATE_LIMIT_SEND_PER_ACCOUNT: '100000/1m',
      RATE_LIMIT_UPLOAD_PER_ACCOUNT: '100000/1m',
      MEDIA_QUOTA_PER_ACCOUNT: '100GB',
      ...(s3 ? s3.env : {}),
    });
    const [alice, bob] = [await register(api), await register(api)];
    console.log(`storage: ${STORAGE}; generating ${PHOTOS} photos of 4032×3024 and ${FILES} files of ${FILE_MB} MB…`);

    const photos = await Promise.all(Array.from({ length: PHOTOS }, (_, i) => cameraPhoto(4032, 3024, i)));
    const photo = await throughput(api, alice.token, 'photo', photos);
    console.log(`photos (12 MP JPEG, ${photo.averageMB.toFixed(1)} MB each): ${photo.mbPerSecond.toFixed(1)} MB/s, p50 ${ms(photo.p50)} per upload`);
    const files = Array.from({ length: FILES }, () => randomBytes(FILE_MB * 1024 ** 2));
    const file = await throughput(api, alice.token, 'file', files);
    console.log(`files (${FILE_MB} MB): ${file.mbPerSecond.toFixed(1)} MB/s, p50 ${ms(file.p50)} per upload`);

    // Upload → the other member's socket, and → the thumbnail in their hands.
    const group = (await gql<{ createGroup: { id: string } }>(api, 'mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }', { input: { title: 'bench', memberIds: [bob.id] } }, alice.token)).createGroup.id;
    const client = createClient({ url: api.wsUrl, webSocketImpl: WebSocket, connectionParams: { token: bob.token }, retryAttempts: 0 });
    const waiting = new Map<string, (thumbnailUrl: string) => void>();
    const early = new Map<string, string>();
    let live!: () => void;
    const subscribed = new Promise<void>((resolve) => (live = resolve));
    client.subscribe<{ events: { __typename: string; message?: { clientMsgId: string | null; id: string; body: string; attachments: { thumbnailUrl: string }[] } } }>(
      { query: 'subscription { events { __typename ... on MessageAddedEvent { message { id body attachments { thumbnailUrl } } } } }' },
      {
        next: ({ data }) => {
          const message = data?.events.message;
          if (data?.events.__typename !== 'MessageAddedEvent' || !message) return;
          if (message.body === 'ready') return live();
          const thumbnail = message.attachments[0]?.thumbnailUrl ?? '';
          const resolve = waiting.get(message.body);
          if (resolve) resolve(thumbnail);
          else early.set(message.body, thumbnail);
        },
        error: (error) => console.error('subscription failed', error),
        complete: () => {},
      },
    );
    // Live once a message sent after subscribing arrives.
    const ready = async () => {
      for (;;) {
        await gql(api!, 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }', { input: { conversationId: group, clientMsgId: randomUUID(), body: 'ready' } }, alice.token);
        const arrived = await Promise.race([subscribed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 200))]);
        if (arrived) return;
      }
    };
    await ready();
    const shot = await cameraPhoto(1600, 1200, 7);
    const toEvent: number[] = [];
    const toThumbnail: number[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const label = `photo ${i}`;
      const heard = new Promise<string>((resolve) => (early.has(label) ? resolve(early.get(label)!) : waiting.set(label, resolve)));
      const t0 = performance.now();
      const { id } = await upload(api, alice.token, 'photo', shot, 'shot.jpg');
      await gql(api, 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }', { input: { conversationId: group, clientMsgId: randomUUID(), mediaIds: [id], body: label } }, alice.token);
      const thumbnailUrl = await heard;
      toEvent.push(performance.now() - t0);
      const thumbnail = await fetch(`${api.url}${thumbnailUrl}`);
      await thumbnail.arrayBuffer();
      if (!thumbnail.ok) throw new Error(`thumbnail answered ${thumbnail.status}`);
      toThumbnail.push(performance.now() - t0);
    }
    await client.dispose();
    console.log(
      `upload (2 MP photo, ${(shot.length / 1024).toFixed(0)} KB) → other member's event: p50 ${ms(quantile(toEvent, 0.5))}, p95 ${ms(quantile(toEvent, 0.95))}; ` +
        `→ thumbnail fetched: p50 ${ms(quantile(toThumbnail, 0.5))}, p95 ${ms(quantile(toThumbnail, 0.95))} (${MESSAGES} messages)`,
    );
  } finally {
    await api?.stop();
    await s3?.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();

/**
 * Two real API processes sharing PostgreSQL, Redis and S3-compatible storage (s3rver, see
 * api/test/s3-server.ts), as docker-compose.yml runs them with MinIO: a photo uploaded through
 * one is sent, delivered and served through the other, and kept once, in the bucket only; deleted
 * through one, it is gone through the other, and the sweep removes it from the bucket. On a
 * database of their own: a sweep looks at every upload there is.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../test/databases.js';
import { registerUser } from '../../../test/factories.js';
import { filesUnder, jpegWithGps, upload } from '../../../test/media.js';
import { connect, createGroup, EVENT_SELECTION, ok } from '../../../test/messenger.js';
import { asTestServer, startApi, type ApiProcess } from '../../../test/processes.js';
import { startS3Server, type S3TestServer } from '../../../test/s3-server.js';
import type { TestServer } from '../../../test/server.js';
import { loadConfig } from '../../config/env.js';
import { openDatabase } from '../../core/db/database.js';
import { createLogger } from '../../core/logger.js';
import { S3Storage } from '../../core/storage/s3.js';
import { MediaSweepRepository } from './media.sweep.repository.js';
import { MediaSweeper } from './media.sweeper.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let s3: S3TestServer;
let databaseUrl: string;
const dataDirs: string[] = [];
const running: ApiProcess[] = [];
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  s3 = await startS3Server();
  // Migrated by the first instance to start.
  databaseUrl = await createDatabase('shared_storage');
  dataDirs.push(await mkdtemp(path.join(tmpdir(), 'dash-a-')), await mkdtemp(path.join(tmpdir(), 'dash-b-')));
  const env = (dataDir: string) => ({
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    SEED_DEMO: 'false',
    RATE_LIMIT_REGISTER_PER_IP: '100000/1m',
    ...s3.env,
  });
  for (const dataDir of dataDirs) running.push(await startApi({ env: env(dataDir) }));
  [a, b] = running.map(asTestServer) as [TestServer, TestServer];
});

afterAll(async () => {
  for (const api of running) expect(await api.stop(), api.logs.join('\n')).toBe(0);
  await s3?.close();
  if (databaseUrl) await dropDatabase(databaseUrl);
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
});

describe('two API instances sharing media through S3-compatible storage', () => {
  it('a photo uploaded and sent through A is delivered and served through B, stored once in the bucket', async () => {
    const [alice, bob] = await Promise.all([registerUser(a), registerUser(a)]);
    const group = await createGroup(a, alice, [bob]);
    const bobOnB = await connect(b, bob, `${EVENT_SELECTION} ... on MessageAddedEvent { message { attachments { id url thumbnailUrl } } }`);

    const photo = await jpegWithGps(200, 100);
    // Other content may be there already (the built-in stickers): only what this test adds is counted.
    const before = await s3.objects();
    const uploaded = await upload(a.url, alice.token, 'photo', photo, 'beach.jpg', 'image/jpeg');
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    // The photo and its thumbnail, in the bucket; nothing left on A's disk but its empty folder of uploads in progress.
    expect(await s3.objects()).toBe(before + 2);
    expect(await filesUnder(path.join(dataDirs[0]!, 'media'))).toEqual([]);

    const sent = ok(
      await a.gql<{ sendMessage: { id: string } }>(
        'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
        { input: { conversationId: group, clientMsgId: randomUUID(), mediaIds: [uploaded.body.id], body: 'from A' } },
        alice.token,
      ),
    ).sendMessage;
    const event = await bobOnB.stream.next((e) => e.__typename === 'MessageAddedEvent' && e.message?.id === sent.id);
    const [attachment] = (event.message as unknown as { attachments: { id: string; url: string; thumbnailUrl: string }[] }).attachments;
    expect(attachment!.id).toBe(uploaded.body.id);

    // Served by B from the bucket, byte for byte what A stored, with a range too.
    const fromB = Buffer.from(await (await fetch(`${b.url}${attachment!.url}`)).arrayBuffer());
    const fromA = Buffer.from(await (await fetch(`${a.url}${uploaded.body.url}`)).arrayBuffer());
    expect(fromB).toEqual(fromA);
    expect((await sharp(fromB).metadata()).exif).toBeUndefined();
    const part = await fetch(`${b.url}${attachment!.url}`, { headers: { range: 'bytes=0-9' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(fromA.subarray(0, 10));
    expect((await fetch(`${b.url}${attachment!.thumbnailUrl}`)).status).toBe(200);

    // The same photo uploaded again through B: a new media row, the same stored objects.
    const again = await upload(b.url, bob.token, 'photo', photo, 'same.jpg', 'image/jpeg');
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(uploaded.body.id);
    expect(await s3.objects()).toBe(before + 2);
  });

  it('a photo deleted through B is gone through A at once (410), and a sweep removes it from the bucket', async () => {
    const [alice, bob] = await Promise.all([registerUser(a), registerUser(a)]);
    const group = await createGroup(a, alice, [bob]);
    const before = await s3.objects();
    const uploaded = await upload(a.url, alice.token, 'photo', await jpegWithGps(150, 90), 'gone.jpg', 'image/jpeg');
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect(await s3.objects()).toBe(before + 2);
    const sent = ok(
      await a.gql<{ sendMessage: { id: string } }>(
        'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
        { input: { conversationId: group, clientMsgId: randomUUID(), mediaIds: [uploaded.body.id] } },
        alice.token,
      ),
    ).sendMessage;
    ok(await b.gql('mutation($id: ID!) { deleteMessage(messageId: $id) { id } }', { id: sent.id }, alice.token));
    const held = await fetch(`${a.url}${uploaded.body.thumbnailUrl}`);
    expect(held.status).toBe(410);
    await held.arrayBuffer();

    // A sweep through the S3 driver, as either instance runs it, at a time past MEDIA_UNUSED_AFTER.
    const db = await openDatabase({ databaseUrl, dataDir: '' });
    try {
      const config = loadConfig({ LOG_LEVEL: 'silent', ...s3.env });
      const sweeper = new MediaSweeper(new MediaSweepRepository(db.prisma), new S3Storage(config.media.s3!), config.media.unusedAfterSeconds, createLogger({ level: 'silent', production: false }));
      const swept = await sweeper.sweep({ now: new Date(Date.now() + (config.media.unusedAfterSeconds + 60) * 1000) });
      expect(swept.contents).toBeGreaterThanOrEqual(2);
      expect(await s3.objects()).toBe(before);
      // What stays (the built-in stickers, the first test's photo, still in a message) is what the ledger holds.
      expect(await db.prisma.storedContent.count()).toBe(before);
    } finally {
      await db.close();
    }
  });
});

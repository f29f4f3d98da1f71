/**
 * The per-account storage quota against a real server and PostgreSQL: uploads racing for the
 * last of it cannot pass it or leave bytes behind that no media row counts, and what stops being
 * the uploader's (a message deleted for everyone, a group deleted, a picture replaced) is given back.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { filesUnder, refusal, upload, type UploadResult } from '../../../test/media.js';
import { createGroup, ok } from '../../../test/messenger.js';
import { startTestServer, type TestServer } from '../../../test/server.js';

const KB = 1024;
const QUOTA = 1024 * KB;

let server: TestServer;
let dataDir: string;
const mediaDir = () => path.join(dataDir, 'media');

beforeAll(async () => {
  // A data folder of its own: every stored file can be matched to the rows that count it.
  dataDir = await mkdtemp(path.join(tmpdir(), 'dash-quota-'));
  server = await startTestServer({ dataDir }, { MEDIA_QUOTA_PER_ACCOUNT: '1MB' });
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Stored content (not uploads in progress), as storage keys. */
async function storedKeys(): Promise<string[]> {
  return (await filesUnder(mediaDir())).filter((file) => !file.startsWith('.incoming')).map((file) => file.split(path.sep).join('/'));
}

/** The bytes the user's media rows count. */
async function counted(user: TestUser): Promise<number> {
  return (await server.db.prisma.media.aggregate({ where: { ownerId: user.id }, _sum: { bytes: true } }))._sum.bytes ?? 0;
}

async function uploadFile(user: TestUser, bytes: number): Promise<UploadResult> {
  return upload(server.url, user.token, 'file', randomBytes(bytes), 'noise.bin');
}

function accepted(result: UploadResult): string {
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body.id!;
}

const quotaRefusal = { status: 413, code: 'LIMIT_EXCEEDED', limit: 'mediaQuota' };

/** An avatar of noise: large once encoded, so the quota can be filled around it. */
async function noiseAvatar(user: TestUser): Promise<{ id: string; bytes: number }> {
  const image = await sharp(randomBytes(512 * 512 * 3), { raw: { width: 512, height: 512, channels: 3 } }).png().toBuffer();
  const result = await upload(server.url, user.token, 'avatar', image, 'noise.png', 'image/png');
  return { id: accepted(result), bytes: result.body.bytes! };
}

describe('uploads racing for the last of the quota', () => {
  it('parallel uploads past the quota: those over it are refused, the stored total never passes it, and no file is left that no row counts', async () => {
    const user = await registerUser(server);
    const results = await Promise.all(Array.from({ length: 8 }, () => uploadFile(user, 300 * KB)));

    const ok201 = results.filter((r) => r.status === 201);
    // 3 × 300 KB fit in 1 MB, a fourth does not.
    expect(ok201).toHaveLength(3);
    for (const refused of results.filter((r) => r.status !== 201)) expect(refusal(refused)).toEqual(quotaRefusal);
    expect(await counted(user)).toBeLessThanOrEqual(QUOTA);

    const rows = await server.db.prisma.media.findMany({ where: { ownerId: user.id } });
    expect(rows.map((r) => r.id).sort()).toEqual(ok201.map((r) => r.body.id).sort());
    // Every stored file is one of the accepted uploads': the refused ones stored nothing.
    expect(await storedKeys()).toEqual(rows.map((r) => r.storageKey).sort());
    expect(await filesUnder(path.join(mediaDir(), '.incoming'))).toEqual([]);
  });
});

describe('an upload whose content cannot be stored', () => {
  it('is refused as unavailable, and gives its reservation back: no row of it counts against the quota', async () => {
    // A server whose object storage does not answer (nothing listens on port 9 here).
    const away = await startTestServer({ dataDir }, { MEDIA_QUOTA_PER_ACCOUNT: '1MB', S3_BUCKET: 'away', S3_ENDPOINT: 'http://127.0.0.1:9', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' });
    try {
      const user = await registerUser(away);
      const result = await upload(away.url, user.token, 'file', randomBytes(600 * KB), 'big.bin');
      expect(refusal(result)).toEqual({ status: 503, code: 'UNAVAILABLE' });
      expect(await away.db.prisma.media.count({ where: { ownerId: user.id } })).toBe(0);
    } finally {
      await away.close();
    }
  });
});

describe('the quota given back', () => {
  let owner: TestUser;
  let friend: TestUser;
  beforeAll(async () => {
    [owner, friend] = await Promise.all([registerUser(server), registerUser(server)]);
  });

  async function sendFile(conversationId: string, mediaId: string): Promise<string> {
    const sent = ok(
      await server.gql<{ sendMessage: { id: string } }>(
        'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
        { input: { conversationId, clientMsgId: randomUUID(), mediaIds: [mediaId], body: '' } },
        owner.token,
      ),
    );
    return sent.sendMessage.id;
  }

  it('a message deleted for everyone, then a group deleted for everyone, give back what their media took', async () => {
    const group = await createGroup(server, owner, [friend]);
    const first = accepted(await uploadFile(owner, 400 * KB));
    const second = accepted(await uploadFile(owner, 400 * KB));
    const messageId = await sendFile(group, first);
    await sendFile(group, second);
    // 800 KB used: 400 KB more does not fit.
    expect(refusal(await uploadFile(owner, 400 * KB))).toEqual(quotaRefusal);

    ok(await server.gql('mutation($id: ID!) { deleteMessage(messageId: $id) { id } }', { id: messageId }, owner.token));
    const third = accepted(await uploadFile(owner, 400 * KB));
    expect(refusal(await uploadFile(owner, 400 * KB))).toEqual(quotaRefusal);

    // The group goes with the second file in it; the third, sent elsewhere, still counts.
    const other = await createGroup(server, owner, [friend]);
    await sendFile(other, third);
    ok(await server.gql('mutation($id: ID!) { deleteConversation(conversationId: $id, forEveryone: true) }', { id: group }, owner.token));
    accepted(await uploadFile(owner, 400 * KB));
    expect(refusal(await uploadFile(owner, 400 * KB))).toEqual(quotaRefusal);
  });

  it('a picture replaced or removed gives back what it took', async () => {
    const user = await registerUser(server);
    const SET = 'mutation($m: ID!) { setAvatar(mediaId: $m) { id } }';
    const [x, y] = [await noiseAvatar(user), await noiseAvatar(user)];
    ok(await server.gql(SET, { m: x.id }, user.token));
    // The rest of the quota filled to the byte: nothing more fits.
    accepted(await uploadFile(user, QUOTA - x.bytes - y.bytes));
    expect(refusal(await uploadFile(user, 1))).toEqual(quotaRefusal);

    ok(await server.gql(SET, { m: y.id }, user.token));
    accepted(await uploadFile(user, x.bytes));
    expect(refusal(await uploadFile(user, 1))).toEqual(quotaRefusal);

    ok(await server.gql('mutation { removeAvatar { id } }', {}, user.token));
    accepted(await uploadFile(user, y.bytes));
    expect(await counted(user)).toBe(QUOTA);

    // What was given back is no longer theirs to use: the old pictures are gone.
    expect(await server.db.prisma.media.count({ where: { id: { in: [x.id, y.id] } } })).toBe(0);
  });

  it("a group's picture replaced gives back what the old one took", async () => {
    const [user, friend] = await Promise.all([registerUser(server), registerUser(server)]);
    const group = await createGroup(server, user, [friend]);
    const SET = 'mutation($c: ID!, $m: ID!) { setGroupAvatar(conversationId: $c, mediaId: $m) { id } }';
    const [x, y] = [await noiseAvatar(user), await noiseAvatar(user)];
    ok(await server.gql(SET, { c: group, m: x.id }, user.token));
    accepted(await uploadFile(user, QUOTA - x.bytes - y.bytes));
    expect(refusal(await uploadFile(user, 1))).toEqual(quotaRefusal);

    ok(await server.gql(SET, { c: group, m: y.id }, user.token));
    accepted(await uploadFile(user, x.bytes));
    expect(refusal(await uploadFile(user, 1))).toEqual(quotaRefusal);
  });
});

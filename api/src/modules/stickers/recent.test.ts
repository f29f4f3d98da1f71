/**
 * "Recently used" is noted after a sticker's send is committed, as a convenience: when noting it
 * fails, the send still succeeds, and the server says so in its log — one JSON line, naming the
 * failure, with no token or message in it. The failure is real: the database refuses the row
 * (a trigger of this test's, for this test's sender alone, since test files share the database).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../../../test/factories.js';
import { createGroup, ok } from '../../../test/messenger.js';
import { addSticker, createPack, runSticker } from '../../../test/stickers.js';
import { startTestServer, type TestServer } from '../../../test/server.js';

let server: TestServer;
const log: string[] = [];

beforeAll(async () => {
  server = await startTestServer({}, { LOG_LEVEL: 'warn' }, { log: { write: (line: string) => void log.push(line) } });
});
afterAll(() => server?.close());

/** Makes the database refuse `userId`'s "recently used" rows while `work` runs. */
async function refusingRecentFor<T>(userId: string, work: () => Promise<T>): Promise<T> {
  const name = `refuse_recent_${randomBytes(4).toString('hex')}`;
  const { prisma } = server.db;
  await prisma.$executeRawUnsafe(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.user_id = '${userId}'::uuid THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
  await prisma.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT ON recent_stickers FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  try {
    return await work();
  } finally {
    await prisma.$executeRawUnsafe(`DROP TRIGGER ${name} ON recent_stickers`);
    await prisma.$executeRawUnsafe(`DROP FUNCTION ${name}()`);
  }
}

describe('recently used stickers', () => {
  it('a sticker that cannot be noted is still sent; the failure is one JSON log line without the token', async () => {
    const [sender, friend] = await Promise.all([registerUser(server), registerUser(server)]);
    const pack = await createPack(server, sender, 'Mine');
    const sticker = await addSticker(server, sender, pack.id);
    const group = await createGroup(server, sender, [friend]);
    const send = () =>
      server.gql<{ sendMessage: { kind: string; sticker: { id: string } } }>(
        'mutation($input: SendMessageInput!) { sendMessage(input: $input) { kind sticker { id } } }',
        { input: { conversationId: group, clientMsgId: randomUUID(), stickerId: sticker.id } },
        sender.token,
      );

    const sent = await refusingRecentFor(sender.id, send);
    expect(ok(sent).sendMessage).toEqual({ kind: 'STICKER', sticker: { id: sticker.id } });
    expect((ok(await runSticker(server, sender, 'recentStickers')) as { recentStickers: unknown[] }).recentStickers).toEqual([]);

    const lines = log.filter((line) => line.includes(sticker.id));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, msg: 'a sent sticker was not noted as recently used', userId: sender.id, stickerId: sticker.id, err: { message: expect.stringContaining('refused by the test') } });
    expect(lines[0]).not.toContain(sender.token);

    // Once the database takes it again, the next send is noted.
    ok(await send());
    expect((ok(await runSticker(server, sender, 'recentStickers')) as { recentStickers: { id: string }[] }).recentStickers.map((s) => s.id)).toEqual([sticker.id]);
  });
});

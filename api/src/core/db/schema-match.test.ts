/**
 * Proves the hand-written migrations build exactly the database schema.prisma
 * describes (Prisma's own `migrate diff` needs an engine we cannot download):
 * 1. structure: every model's table, every field's column with its type, length and
 *    nullability, every unique constraint and index, on PostgreSQL;
 * 2. behaviour: every model written through the client with every field set and read
 *    back equal, on PostgreSQL and on the embedded PGlite.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { repoRoot } from '../../config/env.js';
import { Prisma } from '../../generated/prisma/client.js';
import { openDatabase, type Database } from './database.js';
import { directKey } from './keys.js';

interface FieldSpec {
  name: string;
  column: string;
  type: string;
  optional: boolean;
  list: boolean;
  nativeType: string | undefined;
  unique: boolean;
  primary: boolean;
  relation: boolean;
}
interface ModelSpec {
  name: string;
  table: string;
  fields: FieldSpec[];
  uniques: string[][];
  indexes: string[][];
  id: string[] | undefined;
}

/** A small reader of schema.prisma: enough to know the tables, columns and indexes it asks for. */
function parseSchema(text: string): { models: ModelSpec[]; enums: Set<string> } {
  const enums = new Set([...text.matchAll(/^enum (\w+) \{/gm)].map((m) => m[1]!));
  const models: ModelSpec[] = [];
  for (const [, name, body] of text.matchAll(/^model (\w+) \{\n([\s\S]*?)^\}/gm)) {
    const lines = body!.split('\n').map((l) => l.replace(/\/\/.*$/, '').trim()).filter(Boolean);
    const fields: FieldSpec[] = [];
    const model: ModelSpec = { name: name!, table: name!, fields, uniques: [], indexes: [], id: undefined };
    for (const line of lines) {
      const block = /^@@(\w+)\((?:\[([^\]]*)\]|"([^"]*)")/.exec(line);
      if (block) {
        const columns = (block[2] ?? '').split(',').map((c) => c.trim()).filter(Boolean);
        if (block[1] === 'map') model.table = block[3]!;
        if (block[1] === 'unique') model.uniques.push(columns);
        if (block[1] === 'index') model.indexes.push(columns);
        if (block[1] === 'id') model.id = columns;
        continue;
      }
      // `name Type`, `name Type[]`, `name Type?`, or `name Unsupported("dbtype")?`
      const field = /^(\w+)\s+(\w+)(?:\("([^"]+)"\))?(\[\])?(\?)?\s*(.*)$/.exec(line);
      if (!field) continue;
      const attributes = field[6]!;
      fields.push({
        name: field[1]!,
        column: /@map\("([^"]+)"\)/.exec(attributes)?.[1] ?? field[1]!,
        type: field[2] === 'Unsupported' ? `Unsupported:${field[3]}` : field[2]!,
        list: Boolean(field[4]),
        optional: Boolean(field[5]),
        nativeType: /@db\.(\w+(?:\(\d+\))?)/.exec(attributes)?.[1],
        unique: attributes.includes('@unique'),
        primary: /@id\b/.test(attributes),
        relation: attributes.includes('@relation') || (!enums.has(field[2]!) && /^[A-Z]/.test(field[2]!) && !['String', 'Int', 'Boolean', 'DateTime', 'Json', 'BigInt', 'Float', 'Decimal', 'Bytes', 'Unsupported'].includes(field[2]!)),
      });
    }
    models.push(model);
  }
  return { models, enums };
}

/** What information_schema says for a column of this field. */
function expectedColumn(field: FieldSpec, enums: Set<string>): { data_type: string; udt_name: string; length: number | null; nullable: boolean } {
  const native = field.nativeType;
  const length = native ? Number(/\((\d+)\)/.exec(native)?.[1] ?? NaN) : NaN;
  const nullable = field.optional || field.list;
  if (field.list) return { data_type: 'ARRAY', udt_name: '_text', length: null, nullable };
  if (field.type.startsWith('Unsupported:')) {
    const dbType = field.type.slice('Unsupported:'.length);
    return { data_type: dbType, udt_name: dbType, length: null, nullable };
  }
  if (enums.has(field.type)) return { data_type: 'USER-DEFINED', udt_name: field.type, length: null, nullable };
  if (native?.startsWith('Citext')) return { data_type: 'USER-DEFINED', udt_name: 'citext', length: null, nullable };
  if (native?.startsWith('Uuid')) return { data_type: 'uuid', udt_name: 'uuid', length: null, nullable };
  if (native?.startsWith('VarChar')) return { data_type: 'character varying', udt_name: 'varchar', length, nullable };
  if (native?.startsWith('Char')) return { data_type: 'character', udt_name: 'bpchar', length, nullable };
  const plain: Record<string, [string, string]> = {
    String: ['text', 'text'],
    Int: ['integer', 'int4'],
    Boolean: ['boolean', 'bool'],
    Json: ['jsonb', 'jsonb'],
    DateTime: native?.startsWith('Timestamptz') ? ['timestamp with time zone', 'timestamptz'] : ['timestamp without time zone', 'timestamp'],
  };
  const [data_type, udt_name] = plain[field.type] ?? ['?', '?'];
  return { data_type, udt_name, length: null, nullable };
}

const schemaText = await readFile(path.join(repoRoot, 'prisma', 'schema.prisma'), 'utf8');
const { models, enums } = parseSchema(schemaText);

describe('migrated PostgreSQL matches schema.prisma', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ databaseUrl: inject('databaseUrl'), dataDir: '' });
  });
  afterAll(() => db.close());

  it('has every model the client knows', () => {
    expect(models.map((m) => m.name).sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });

  it.each(models.map((m) => [m.name, m] as const))('%s: table, columns, types, lengths and nullability', async (_name, model) => {
    const rows = await db.prisma.$queryRawUnsafe<{ column_name: string; data_type: string; udt_name: string; character_maximum_length: number | null; is_nullable: string }[]>(
      `SELECT column_name, data_type, udt_name, character_maximum_length, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
      model.table,
    );
    const actual = Object.fromEntries(
      rows.map((r) => [r.column_name, { data_type: r.data_type, udt_name: r.udt_name, length: r.character_maximum_length, nullable: r.is_nullable === 'YES' }]),
    );
    const scalars = model.fields.filter((f) => !f.relation);
    const expected = Object.fromEntries(scalars.map((f) => [f.column, expectedColumn(f, enums)]));
    expect(actual).toEqual(expected);
  });

  it.each(models.map((m) => [m.name, m] as const))('%s: primary key, unique constraints and indexes', async (_name, model) => {
    const indexes = await db.prisma.$queryRawUnsafe<{ indexname: string; indexdef: string }[]>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1`,
      model.table,
    );
    const column = (name: string) => model.fields.find((f) => f.name === name)!.column;
    const find = (columns: string[], unique: boolean) =>
      indexes.find((i) => i.indexdef.replace(/"/g, '').includes(`(${columns.join(', ')})`) && i.indexdef.startsWith(unique ? 'CREATE UNIQUE' : 'CREATE INDEX'));
    const primary = model.id ?? model.fields.filter((f) => f.primary).map((f) => f.name);
    expect(indexes.find((i) => i.indexname === `${model.table}_pkey`)?.indexdef.replace(/"/g, '')).toContain(`(${primary.map(column).join(', ')})`);
    for (const f of model.fields.filter((f) => f.unique)) expect(find([f.column], true), `${f.name} unique`).toBeDefined();
    for (const u of model.uniques) expect(find(u.map(column), true), `@@unique(${u})`).toBeDefined();
    for (const i of model.indexes) expect(find(i.map(column), false), `@@index(${i})`).toBeDefined();
  });
});

/** One row of every model with every field set, in an order that satisfies the foreign keys. */
function fixtures(suffix: string) {
  const id = (n: number) => `0190aaaa-0000-7000-8000-${suffix}${String(n).padStart(12 - suffix.length, '0')}`;
  const at = (minute: number) => new Date(Date.UTC(2026, 0, 2, 3, minute, 5, 123));
  const [alice, bob, avatar, pack, sticker, direct, first, reply] = [1, 2, 3, 4, 5, 6, 7, 8].map(id) as [string, string, string, string, string, string, string, string];
  return {
    Media: { id: avatar, ownerId: alice, purpose: 'AVATAR' as const, mime: 'image/webp'.padEnd(128, 'x'), bytes: 2048, width: 640, height: 480, name: 'n'.repeat(255), placeholder: 'p'.repeat(64), storageKey: `media/${avatar}.webp`, thumbnailKey: `thumbs/${avatar}.webp`, sha256: 'a'.repeat(64), createdAt: at(1) },
    User: [
      { id: alice, username: `Alice_${suffix}`.padEnd(32, 'x'), email: `alice.${suffix}@example.test`, emailVerifiedAt: at(2), passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', displayName: 'Алиса 👩‍🚀'.padEnd(64, '.'), bio: 'b'.repeat(500), avatarId: null, locale: 'ru-RU'.padEnd(16, 'x'), whoCanMessage: 'CONTACTS', whoCanFind: 'CONTACTS_OF_CONTACTS', whoSeesLastSeen: 'NOBODY', totpSecret: 'v1:iv:ciphertext:tag', totpEnabledAt: at(3), totpLastStep: 2_147_483_647, recoveryCodes: ['hash-1', 'hash-2'], lastSeenAt: at(4), createdAt: at(5), updatedAt: at(6) },
      { id: bob, username: `bob_${suffix}`, email: `bob.${suffix}@example.test`, emailVerifiedAt: null, passwordHash: 'x', displayName: 'Bob', bio: null, avatarId: null, locale: 'en', whoCanMessage: 'EVERYONE', whoCanFind: 'NOBODY', whoSeesLastSeen: 'CONTACTS', totpSecret: null, totpEnabledAt: null, totpLastStep: null, recoveryCodes: [], lastSeenAt: null, createdAt: at(5), updatedAt: at(6) },
    ],
    Session: { id: id(9), userId: alice, tokenHash: `f${suffix}`.padEnd(64, '0'), userAgent: 'u'.repeat(512), ip: '2001:db8::1', createdAt: at(7), lastUsedAt: at(8), expiresAt: at(59) },
    SignInChallenge: { id: id(11), userId: alice, tokenHash: `c${suffix}`.padEnd(64, '0'), expiresAt: at(12), createdAt: at(7) },
    EmailToken: { id: id(10), userId: alice, purpose: 'CHANGE_EMAIL', tokenHash: `e${suffix}`.padEnd(64, '0'), email: `new.${suffix}@example.test`, expiresAt: at(40), usedAt: at(9), createdAt: at(8) },
    Contact: { ownerId: alice, contactId: bob, createdAt: at(10) },
    Block: { blockerId: bob, blockedId: alice, createdAt: at(11) },
    StickerPack: { id: pack, ownerId: alice, title: 't'.repeat(64), slug: `s${suffix}`.padEnd(32, 'x'), publishedAt: at(19), deletedAt: at(20), fingerprint: 'f'.repeat(64), createdAt: at(12) },
    Sticker: { id: sticker, packId: pack, mediaId: avatar, emoji: '👨‍👩‍👧‍👦'.padEnd(16, '.'), position: 3, name: 'n'.repeat(64), deletedAt: at(21), createdAt: at(13) },
    InstalledStickerPack: { userId: bob, packId: pack, position: 2_147_483_647, installedAt: at(22) },
    RecentSticker: { userId: bob, stickerId: sticker, usedAt: at(23) },
    Conversation: { id: direct, kind: 'DIRECT', title: null, avatarId: avatar, directKey: directKey(alice, bob), seq: 3, lastMessageSeq: 2, lastMessageAt: at(16), createdById: alice, createdAt: at(14), updatedAt: at(17) },
    Membership: { conversationId: direct, userId: alice, role: 'OWNER', lastReadSeq: 2, muted: true, hiddenUpToSeq: 1, joinedSeq: 0, removedSeq: 3, joinedAt: at(14) },
    Message: [
      { id: first, conversationId: direct, seq: 1, updatedSeq: 3, senderId: alice, kind: 'STICKER', body: 'm'.repeat(4000), event: null, mediaId: avatar, stickerId: sticker, replyToId: null, clientMsgId: 'c'.repeat(64), editedAt: at(17), deletedAt: at(18), createdAt: at(15) },
      { id: reply, conversationId: direct, seq: 2, updatedSeq: 2, senderId: null, kind: 'SYSTEM', body: '', event: { type: 'MEMBER_JOINED', userIds: [bob], nested: { ok: true } }, mediaId: null, stickerId: null, replyToId: first, clientMsgId: null, editedAt: null, deletedAt: null, createdAt: at(16) },
    ],
    MessageAttachment: { messageId: first, mediaId: avatar, position: 2_147_483_647 },
    HiddenMessage: { userId: bob, messageId: reply, conversationId: direct, hiddenSeq: 2_147_483_647, hiddenAt: at(24) },
    StoredContent: { key: `sha256/${suffix}/${'k'.repeat(200)}`, claimedAt: at(25) },
  };
}

async function roundTrip(db: Database, suffix: string) {
  const rows = fixtures(suffix);
  const p = db.prisma;
  for (const model of Object.values(Prisma.ModelName)) {
    const fields = Object.values((Prisma as unknown as Record<string, Record<string, string>>)[`${model}ScalarFieldEnum`]!);
    for (const row of [rows[model]].flat()) expect(Object.keys(row).sort(), `${model} fixture sets every field`).toEqual([...fields].sort());
  }
  await p.user.createMany({ data: rows.User.map((u) => ({ ...u })) as never });
  await p.media.create({ data: rows.Media });
  await p.user.update({ where: { id: rows.User[0]!.id }, data: { avatarId: rows.Media.id, updatedAt: rows.User[0]!.updatedAt } });
  await p.session.create({ data: rows.Session });
  await p.signInChallenge.create({ data: rows.SignInChallenge });
  await p.emailToken.create({ data: rows.EmailToken as never });
  await p.contact.create({ data: rows.Contact });
  await p.block.create({ data: rows.Block });
  await p.stickerPack.create({ data: rows.StickerPack });
  await p.sticker.create({ data: rows.Sticker });
  await p.installedStickerPack.create({ data: rows.InstalledStickerPack });
  await p.recentSticker.create({ data: rows.RecentSticker });
  await p.conversation.create({ data: rows.Conversation as never });
  await p.membership.create({ data: rows.Membership as never });
  await p.message.createMany({ data: rows.Message as never });
  await p.messageAttachment.create({ data: rows.MessageAttachment });
  await p.hiddenMessage.create({ data: rows.HiddenMessage });
  await p.storedContent.create({ data: rows.StoredContent });

  const alice = await p.user.findUniqueOrThrow({ where: { id: rows.User[0]!.id } });
  expect({ ...alice, updatedAt: rows.User[0]!.updatedAt }).toEqual({ ...rows.User[0], avatarId: rows.Media.id });
  expect(await p.user.findUniqueOrThrow({ where: { id: rows.User[1]!.id } })).toEqual(rows.User[1]);
  expect(await p.media.findUniqueOrThrow({ where: { id: rows.Media.id } })).toEqual(rows.Media);
  expect(await p.session.findUniqueOrThrow({ where: { id: rows.Session.id } })).toEqual(rows.Session);
  expect(await p.signInChallenge.findUniqueOrThrow({ where: { id: rows.SignInChallenge.id } })).toEqual(rows.SignInChallenge);
  expect(await p.emailToken.findUniqueOrThrow({ where: { id: rows.EmailToken.id } })).toEqual(rows.EmailToken);
  expect(await p.contact.findFirstOrThrow({ where: { ownerId: rows.Contact.ownerId } })).toEqual(rows.Contact);
  expect(await p.block.findFirstOrThrow({ where: { blockerId: rows.Block.blockerId } })).toEqual(rows.Block);
  expect(await p.stickerPack.findUniqueOrThrow({ where: { id: rows.StickerPack.id } })).toEqual(rows.StickerPack);
  expect(await p.sticker.findUniqueOrThrow({ where: { id: rows.Sticker.id } })).toEqual(rows.Sticker);
  expect(await p.installedStickerPack.findFirstOrThrow({ where: { userId: rows.InstalledStickerPack.userId } })).toEqual(rows.InstalledStickerPack);
  expect(await p.recentSticker.findFirstOrThrow({ where: { userId: rows.RecentSticker.userId } })).toEqual(rows.RecentSticker);
  const conversation = await p.conversation.findUniqueOrThrow({ where: { id: rows.Conversation.id } });
  expect({ ...conversation, updatedAt: rows.Conversation.updatedAt }).toEqual(rows.Conversation);
  expect(await p.membership.findFirstOrThrow({ where: { conversationId: rows.Membership.conversationId } })).toEqual(rows.Membership);
  expect(await p.message.findMany({ where: { conversationId: rows.Conversation.id }, orderBy: { seq: 'asc' } })).toEqual(rows.Message);
  expect(await p.messageAttachment.findUniqueOrThrow({ where: { mediaId: rows.MessageAttachment.mediaId } })).toEqual(rows.MessageAttachment);
  expect(await p.hiddenMessage.findFirstOrThrow({ where: { userId: rows.HiddenMessage.userId } })).toEqual(rows.HiddenMessage);
  expect(await p.storedContent.findUniqueOrThrow({ where: { key: rows.StoredContent.key } })).toEqual(rows.StoredContent);
  // The username is unique regardless of case, in the database itself.
  expect(await p.user.findUnique({ where: { username: rows.User[0]!.username.toUpperCase() } })).not.toBeNull();
}

describe('every model round-trips through the client with every field set', () => {
  it('on PostgreSQL', async () => {
    const db = await openDatabase({ databaseUrl: inject('databaseUrl'), dataDir: '' });
    try {
      await roundTrip(db, 'a1');
    } finally {
      await db.close();
    }
  });

  it('on the embedded database', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dash-pglite-'));
    const db = await openDatabase({ databaseUrl: undefined, dataDir: dir });
    try {
      await db.migrate();
      await roundTrip(db, 'b2');
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

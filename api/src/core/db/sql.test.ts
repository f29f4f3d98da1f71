import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/server.js';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { createGroup, send } from '../../../test/messenger.js';
import { Prisma } from '../../generated/prisma/client.js';
import { toAppError, uniqueViolationField } from '../errors.js';
import { MEMBERSHIP_COLUMNS, MESSAGE_COLUMNS, selectColumns, USER_COLUMNS } from './rows.js';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let group: string;
beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = await Promise.all([registerUser(server), registerUser(server)]);
  group = await createGroup(server, alice, [bob]);
  await send(server, bob, group, 'hello *there*');
});
afterAll(() => server.close());

describe("the hot statements' way to the database", () => {
  it("gives the rows Prisma's $queryRaw gives, type for type (dates, nulls, enums, JSON)", async () => {
    const statements = [
      // a SYSTEM message carries JSON, a text message nulls in its media and event columns
      Prisma.sql`SELECT ${selectColumns('m', MESSAGE_COLUMNS)} FROM messages m WHERE m.conversation_id = ${group}::uuid ORDER BY m.seq`,
      Prisma.sql`SELECT ${selectColumns('u', USER_COLUMNS)} FROM users u WHERE u.id = ANY(${[alice.id, bob.id]}::uuid[]) ORDER BY u.id`,
      Prisma.sql`SELECT ${selectColumns('mb', MEMBERSHIP_COLUMNS)}, ARRAY(SELECT user_id::text FROM memberships WHERE conversation_id = ${group}::uuid ORDER BY 1) AS everyone
        FROM memberships mb WHERE mb.conversation_id = ${group}::uuid ORDER BY mb.user_id`,
    ];
    for (const statement of statements) {
      const direct = await server.db.sql.rows<Record<string, unknown>>(statement);
      expect(direct.length).toBeGreaterThan(1);
      expect(direct).toStrictEqual(await server.db.prisma.$queryRaw<Record<string, unknown>[]>(statement));
    }
    const [message] = await server.db.sql.rows<{ event: unknown; createdAt: unknown }>`SELECT event, created_at AS "createdAt" FROM messages WHERE conversation_id = ${group}::uuid ORDER BY seq LIMIT 1`;
    expect(message!.event).toEqual(expect.objectContaining({ type: expect.any(String) }));
    expect(message!.createdAt).toBeInstanceOf(Date);
  });

  it('is counted like every other statement', async () => {
    const { queries } = await server.countQueries(() => server.db.sql.rows`SELECT ${1}::int AS one`);
    expect(queries).toBe(1);
  });

  it('reports a unique violation as the field it concerns, as Prisma would', async () => {
    const [session] = await server.db.sql.rows<{ tokenHash: string }>`SELECT token_hash AS "tokenHash" FROM sessions WHERE user_id = ${alice.id}::uuid LIMIT 1`;
    const error = await server.db.sql
      .rows`INSERT INTO sessions (id, user_id, token_hash, expires_at) VALUES (gen_random_uuid(), ${bob.id}::uuid, ${session!.tokenHash}, now())`
      .catch((thrown: unknown) => thrown);
    expect(uniqueViolationField(error)).toBe('tokenHash');
    expect(toAppError(error).extensions).toMatchObject({ code: 'CONFLICT', fields: [{ field: 'tokenHash', constraint: 'unique' }] });
    expect(await server.db.prisma.session.count({ where: { userId: bob.id } })).toBe(1);
  });
});

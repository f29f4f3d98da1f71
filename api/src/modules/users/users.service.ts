/**
 * Finding people, contacts and blocks. Search and look-ups honour each user's
 * "who can find me". Blocks do not change what one finds: a blocked user still sees
 * the blocker as before and only meets the same refusals a privacy setting gives
 * (see conversations.service.ts and users.rules.ts), so nothing tells them they are blocked.
 */
import type { Prisma } from '../../core/db/database.js';
import { badInput, notFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import { loadRelations, type Relation } from '../../app/loaders.js';
import type { Viewer } from '../../app/context.js';
import { Prisma as PrismaSql, type User as UserRow } from '../../generated/prisma/client.js';
import { USERNAME_PATTERN } from '../accounts/accounts.inputs.js';
import type { ContactInput } from './users.inputs.js';
import { searchText } from './users.rules.js';
import { currentMember } from '../conversations/visibility.js';

function likePattern(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class UserService {
  constructor(private readonly prisma: Prisma) {}

  /** People matching `query` whom the viewer may find, best matches first. */
  async search(viewer: Viewer, query: string, first: number): Promise<UserRow[]> {
    const text = searchText(query).replace(/^@/, '');
    if (text.length === 0) throw badInput([{ field: 'query', constraint: 'isLength', message: 'Type 1–64 characters to search for.' }]);
    const prefix = `${likePattern(text)}%`;
    const anywhere = `%${likePattern(text)}%`;
    const matches = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT u.id FROM users u
      WHERE u.id <> ${viewer.userId}::uuid
        AND (u.username ILIKE ${prefix} OR u.display_name ILIKE ${anywhere})
        AND ${discoverableSql(viewer.userId)}
      ORDER BY (lower(u.username::text) = lower(${text})) DESC, (u.username ILIKE ${prefix}) DESC, u.username
      LIMIT ${first}`;
    const rows = await this.prisma.user.findMany({ where: { id: { in: matches.map((m) => m.id) } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return matches.flatMap((m) => byId.get(m.id) ?? []);
  }

  /** A user by user name, if the viewer may find them or already knows them; null otherwise. */
  async byUsername(viewer: Viewer, username: string): Promise<UserRow | null> {
    const name = username.trim().replace(/^@/, '');
    if (!USERNAME_PATTERN.test(name)) return null;
    const target = await this.prisma.user.findUnique({ where: { username: name } });
    return target && (await this.isVisible(viewer, target)) ? target : null;
  }

  /** A user by id, on the same terms as {@link byUsername}. */
  async byId(viewer: Viewer, id: string): Promise<UserRow | null> {
    const target = isUuid(id) ? await this.prisma.user.findUnique({ where: { id } }) : null;
    return target && (await this.isVisible(viewer, target)) ? target : null;
  }

  /**
   * The viewer may see a user who is either findable under their "who can find me", or
   * already connected: a contact either way, or a fellow member of a conversation.
   */
  async isVisible(viewer: Viewer, target: UserRow): Promise<boolean> {
    if (target.id === viewer.userId) return true;
    return (await this.visibleIds(viewer, [target.id])).length > 0;
  }

  /** Of the users `ids` (other than the viewer), those the viewer may see (see {@link isVisible}), in one query however many. */
  async visibleIds(viewer: Viewer, ids: string[]): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT u.id FROM users u
      WHERE u.id = ANY(${ids}::uuid[]) AND (
        ${discoverableSql(viewer.userId)}
        OR EXISTS (SELECT 1 FROM contacts c WHERE (c.owner_id = u.id AND c.contact_id = ${viewer.userId}::uuid)
                                                OR (c.owner_id = ${viewer.userId}::uuid AND c.contact_id = u.id))
        OR EXISTS (SELECT 1 FROM memberships a JOIN memberships b ON a.conversation_id = b.conversation_id
                   WHERE a.user_id = u.id AND b.user_id = ${viewer.userId}::uuid AND ${currentMember('a')} AND ${currentMember('b')})
      )`;
    return rows.map((row) => row.id);
  }

  /** Users by id, on the same terms as {@link byId}, in the order asked (those the viewer may not see are left out). */
  async byIds(viewer: Viewer, ids: string[]): Promise<UserRow[]> {
    const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
    if (wanted.length === 0) return [];
    const others = wanted.filter((id) => id !== viewer.userId);
    const visible = new Set(others.length > 0 ? await this.visibleIds(viewer, others) : []);
    if (others.length < wanted.length) visible.add(viewer.userId);
    const rows = await this.prisma.user.findMany({ where: { id: { in: [...visible] } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return wanted.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * The people connected to `userId`: their contacts either way and their fellow members of a
   * conversation (neither of them removed) — {@link visibleIds}' connections read from the other
   * side, so each of them may see the user. They are those who show the user without searching
   * (a list, a chat, a members panel), and who are told when the user's profile changes; a
   * stranger who could find them is not. Blocks change nothing here, as in {@link byId}.
   */
  async connectedTo(userId: string): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT c.owner_id AS id FROM contacts c WHERE c.contact_id = ${userId}::uuid
      UNION
      SELECT c.contact_id FROM contacts c WHERE c.owner_id = ${userId}::uuid
      UNION
      SELECT other.user_id FROM memberships mine
      JOIN memberships other ON other.conversation_id = mine.conversation_id AND other.user_id <> mine.user_id AND ${currentMember('other')}
      WHERE mine.user_id = ${userId}::uuid AND ${currentMember('mine')}`;
    return rows.map((row) => row.id);
  }

  async relation(viewer: Viewer, userId: string): Promise<Relation> {
    return (await loadRelations(this.prisma, viewer.userId, [userId]))[0]!;
  }

  contacts(viewer: Viewer): Promise<UserRow[]> {
    return this.prisma.user.findMany({
      where: { contactOf: { some: { ownerId: viewer.userId } } },
      orderBy: [{ displayName: 'asc' }, { username: 'asc' }],
    });
  }

  blocked(viewer: Viewer): Promise<UserRow[]> {
    return this.prisma.user.findMany({
      where: { blockedBy: { some: { blockerId: viewer.userId } } },
      orderBy: [{ displayName: 'asc' }, { username: 'asc' }],
    });
  }

  /** Adds someone the viewer may see to their contacts; adding twice is harmless. */
  async addContact(viewer: Viewer, input: ContactInput): Promise<UserRow> {
    if (Boolean(input.userId) === Boolean(input.username)) {
      const message = 'Give either userId or username.';
      throw badInput([{ field: input.userId ? 'username' : 'userId', constraint: 'exactlyOne', message }]);
    }
    const target = input.userId ? await this.byId(viewer, input.userId) : await this.byUsername(viewer, input.username!);
    if (!target) throw notFound('User');
    if (target.id === viewer.userId) {
      throw badInput([{ field: input.userId ? 'userId' : 'username', constraint: 'notSelf', message: 'You cannot add yourself.' }]);
    }
    await this.prisma.contact.upsert({
      where: { ownerId_contactId: { ownerId: viewer.userId, contactId: target.id } },
      create: { ownerId: viewer.userId, contactId: target.id },
      update: {},
    });
    return target;
  }

  async removeContact(viewer: Viewer, userId: string): Promise<void> {
    const removed = isUuid(userId)
      ? await this.prisma.contact.deleteMany({ where: { ownerId: viewer.userId, contactId: userId } })
      : { count: 0 };
    if (removed.count === 0) throw notFound('Contact');
  }

  /** Blocks a user the viewer knows of (by id); blocking twice is harmless. */
  async block(viewer: Viewer, userId: string): Promise<UserRow> {
    const target = await this.byId(viewer, userId);
    if (!target) throw notFound('User');
    // The stored id, not the one given: PostgreSQL also takes the viewer's own in capitals.
    if (target.id === viewer.userId) throw badInput([{ field: 'userId', constraint: 'notSelf', message: 'You cannot block yourself.' }]);
    await this.prisma.block.upsert({
      where: { blockerId_blockedId: { blockerId: viewer.userId, blockedId: target.id } },
      create: { blockerId: viewer.userId, blockedId: target.id },
      update: {},
    });
    return target;
  }

  async unblock(viewer: Viewer, userId: string): Promise<void> {
    const removed = isUuid(userId)
      ? await this.prisma.block.deleteMany({ where: { blockerId: viewer.userId, blockedId: userId } })
      : { count: 0 };
    if (removed.count === 0) throw notFound('Blocked user');
  }
}

/** "Who can find me" of the user `u`, as SQL: everyone, contacts of contacts, or nobody. */
function discoverableSql(viewerId: string) {
  return PrismaSql.sql`(
    u.who_can_find = 'EVERYONE'
    OR (u.who_can_find = 'CONTACTS_OF_CONTACTS' AND (
      EXISTS (SELECT 1 FROM contacts c WHERE c.owner_id = u.id AND c.contact_id = ${viewerId}::uuid)
      OR EXISTS (SELECT 1 FROM contacts c1 JOIN contacts c2 ON c2.owner_id = c1.contact_id
                 WHERE c1.owner_id = u.id AND c2.contact_id = ${viewerId}::uuid)
    ))
  )`;
}

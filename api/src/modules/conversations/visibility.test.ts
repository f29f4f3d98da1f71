/**
 * The visibility rule (visibility.ts) holds for every reader: history, `changes`, `sync`,
 * search, reply previews (over HTTP and on the event stream), the latest message and the
 * unread count. Each case hides history one way — "delete chat for me", "delete for me" of one
 * message, or leaving or being removed from a group and being added back — then asks every
 * reader at once.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../config/env.js';
import { startTestServer, type GraphQLResponse, type TestServer } from '../../../test/server.js';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { connect, createDirect, createGroup, MESSAGE_FIELDS, ok, send, type TestMessage } from '../../../test/messenger.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const people = (n: number) => Promise.all(Array.from({ length: n }, () => registerUser(server)));
/** A word no other test writes, for search. */
const uniqueWord = () => `vis${randomBytes(5).toString('hex')}`;

const EDIT = 'mutation($id: ID!, $body: String!) { editMessage(messageId: $id, body: $body) { id } }';
const READERS = /* GraphQL */ `
  query($id: ID!, $word: String!) {
    messages(conversationId: $id, limit: 100) { messages { ${MESSAGE_FIELDS} } }
    changes(conversationId: $id, afterSeq: 0) { messages { ${MESSAGE_FIELDS} } }
    sync { changes { conversation { id } messages { ${MESSAGE_FIELDS} } } }
    searchMessages(query: $word, first: 100) { nodes { id } }
    conversation(id: $id) { unreadCount lastMessage { id } }
  }
`;

interface Readers {
  messages: { messages: TestMessage[] };
  changes: { messages: TestMessage[] };
  sync: { changes: { conversation: { id: string }; messages: TestMessage[] }[] };
  searchMessages: { nodes: { id: string }[] };
  conversation: { unreadCount: number; lastMessage: { id: string } | null };
}

/** What each reader gives `user` of one conversation: message ids with their reply previews, in each reader's order. */
async function readers(user: TestUser, conversationId: string, word: string) {
  const seen = ok(await server.gql<Readers>(READERS, { id: conversationId, word }, user.token));
  const shown = (messages: TestMessage[]) => messages.map((m) => ({ id: m.id, replyTo: m.replyTo?.id ?? null }));
  return {
    history: shown(seen.messages.messages),
    changes: shown(seen.changes.messages),
    sync: shown(seen.sync.changes.find((c) => c.conversation.id === conversationId)?.messages ?? []),
    search: seen.searchMessages.nodes.map((m) => m.id),
    lastMessage: seen.conversation.lastMessage?.id ?? null,
    unreadCount: seen.conversation.unreadCount,
  };
}

const LIST = '{ conversations(first: 100) { nodes { id unreadCount lastMessage { id } } } }';
async function listed(user: TestUser, conversationId: string) {
  const { conversations } = ok(await server.gql<{ conversations: { nodes: { id: string; unreadCount: number; lastMessage: { id: string } | null }[] } }>(LIST, {}, user.token));
  return conversations.nodes.find((c) => c.id === conversationId);
}

/**
 * Moves the member's read cursor back to 0. The API never does (a hidden or not yet joined
 * seq counts as read): this proves the unread count leaves out hidden messages by the rule,
 * not by a cursor that happens to be past them.
 */
async function rewindReadCursor(user: TestUser, conversationId: string): Promise<void> {
  await server.db.prisma.membership.update({ where: { conversationId_userId: { conversationId, userId: user.id } }, data: { lastReadSeq: 0 } });
}

describe('the visibility rule, for every reader', () => {
  it('after "delete for me": only what came later, and no preview of a hidden message replied to', async () => {
    const [me, friend] = await people(2);
    const id = await createDirect(server, me!, friend!.id);
    const word = uniqueWord();
    const old = await send(server, friend!, id, `old ${word}`);
    const mine = await send(server, me!, id, `mine ${word}`);
    ok(await server.gql('mutation($id: ID!) { deleteConversation(conversationId: $id) }', { id }, me!.token));

    // Nothing is left to see, not even the latest message, until news comes.
    expect(await readers(me!, id, word)).toEqual({ history: [], changes: [], sync: [], search: [], lastMessage: null, unreadCount: 0 });
    expect(await listed(me!, id)).toBeUndefined();

    // The friend edits a hidden message (a change after the hidden seq) and replies to it.
    const live = await connect(server, me!);
    ok(await server.gql(EDIT, { id: old.id, body: `old ${word}, edited` }, friend!.token));
    const reply = await send(server, friend!, id, `reply ${word}`, { replyToId: old.id });
    await rewindReadCursor(me!, id);

    const shown = [{ id: reply.id, replyTo: null }];
    expect(await readers(me!, id, word)).toEqual({ history: shown, changes: shown, sync: shown, search: [reply.id], lastMessage: reply.id, unreadCount: 1 });
    expect(await listed(me!, id)).toEqual({ id, unreadCount: 1, lastMessage: { id: reply.id } });
    const added = await live.stream.next((e) => e.__typename === 'MessageAddedEvent' && e.message?.id === reply.id);
    expect(added.message!.replyTo).toBeNull();
    // The edit of a message hidden from me was never news to me.
    expect(live.stream.events.filter((e) => e.message?.id === old.id)).toEqual([]);

    // The friend deleted nothing: they see it all, the reply's preview too.
    const theirs = await readers(friend!, id, word);
    expect(theirs.history).toEqual([{ id: old.id, replyTo: null }, { id: mine.id, replyTo: null }, { id: reply.id, replyTo: old.id }]);
    expect(theirs.search.sort()).toEqual([old.id, mine.id, reply.id].sort());
  });

  it('after "delete for me" of single messages: those alone are gone, the latest falls back, and a reply to one shows no preview', async () => {
    const [me, friend] = await people(2);
    const id = await createDirect(server, friend!, me!.id);
    const word = uniqueWord();
    const before = await send(server, friend!, id, `before ${word}`);
    const target = await send(server, friend!, id, `target ${word}`);
    const reply = await send(server, friend!, id, `reply ${word}`, { replyToId: target.id });
    const latest = await send(server, friend!, id, `latest ${word}`);
    for (const hidden of [target, latest]) ok(await server.gql('mutation($id: ID!) { deleteMessageForMe(messageId: $id) }', { id: hidden.id }, me!.token));
    await rewindReadCursor(me!, id);

    const shown = [{ id: before.id, replyTo: null }, { id: reply.id, replyTo: null }];
    expect(await readers(me!, id, word)).toEqual({ history: shown, changes: shown, sync: shown, search: [reply.id, before.id], lastMessage: reply.id, unreadCount: 2 });
    expect(await listed(me!, id)).toEqual({ id, unreadCount: 2, lastMessage: { id: reply.id } });

    // The friend edits the hidden message and replies to it again: no news of it, no preview.
    const live = await connect(server, me!);
    ok(await server.gql(EDIT, { id: target.id, body: `target ${word}, edited` }, friend!.token));
    const again = await send(server, friend!, id, `again ${word}`, { replyToId: target.id });
    const added = await live.stream.next((e) => e.__typename === 'MessageAddedEvent' && e.message?.id === again.id);
    expect(added.message!.replyTo).toBeNull();
    expect(live.stream.events.filter((e) => e.message?.id === target.id)).toEqual([]);
    const now = [...shown, { id: again.id, replyTo: null }];
    expect(await readers(me!, id, word)).toEqual({ history: now, changes: now, sync: now, search: [again.id, reply.id, before.id], lastMessage: again.id, unreadCount: 3 });

    // The friend deleted nothing.
    const theirs = await readers(friend!, id, word);
    expect(theirs.history).toEqual([
      { id: before.id, replyTo: null }, { id: target.id, replyTo: null }, { id: reply.id, replyTo: target.id }, { id: latest.id, replyTo: null }, { id: again.id, replyTo: target.id },
    ]);
    expect(theirs.lastMessage).toBe(again.id);
  });

  const departures: [string, (owner: TestUser, member: TestUser, group: string) => Promise<GraphQLResponse>][] = [
    ['leaves', (_owner, member, group) => server.gql('mutation($id: ID!) { leaveConversation(conversationId: $id) }', { id: group }, member.token)],
    [
      'is removed from',
      (owner, member, group) =>
        server.gql('mutation($id: ID!, $u: ID!) { removeMember(conversationId: $id, userId: $u) { id } }', { id: group, u: member.id }, owner.token),
    ],
  ];

  it.each(departures)('a member who %s a group and is added back sees it from their return on', async (_how, depart) => {
    const [owner, member] = await people(2);
    const id = await createGroup(server, owner!, [member!]);
    const word = uniqueWord();
    const before = await send(server, owner!, id, `before ${word}`);
    ok(await depart(owner!, member!, id));
    await send(server, owner!, id, `while away ${word}`);
    ok(await server.gql('mutation($id: ID!, $u: [ID!]!) { addMembers(conversationId: $id, userIds: $u) { id } }', { id, u: [member!.id] }, owner!.token));
    const [back] = await server.db.prisma.message.findMany({ where: { conversationId: id }, orderBy: { seq: 'desc' }, take: 1 });
    expect(back!.event).toMatchObject({ type: 'MEMBERS_ADDED', userIds: [member!.id] });

    // Right after their return, the message that records it is the latest they see.
    expect(await readers(member!, id, word)).toMatchObject({ history: [{ id: back!.id }], lastMessage: back!.id, search: [] });

    // A change to a message from before their return, and a reply to it.
    const live = await connect(server, member!);
    ok(await server.gql(EDIT, { id: before.id, body: `before ${word}, edited` }, owner!.token));
    const reply = await send(server, owner!, id, `reply ${word}`, { replyToId: before.id });
    await rewindReadCursor(member!, id);

    const shown = [{ id: back!.id, replyTo: null }, { id: reply.id, replyTo: null }];
    expect(await readers(member!, id, word)).toEqual({ history: shown, changes: shown, sync: shown, search: [reply.id], lastMessage: reply.id, unreadCount: 1 });
    expect(await listed(member!, id)).toEqual({ id, unreadCount: 1, lastMessage: { id: reply.id } });
    const added = await live.stream.next((e) => e.__typename === 'MessageAddedEvent' && e.message?.id === reply.id);
    expect(added.message!.replyTo).toBeNull();
    expect(live.stream.events.filter((e) => e.message?.id === before.id)).toEqual([]);

    // The owner never left: the reply's preview is there for them.
    expect((await readers(owner!, id, word)).history.at(-1)).toEqual({ id: reply.id, replyTo: before.id });
  });
});

describe('where the rule is written', () => {
  /** The text of every template literal (SQL statements among them) in the API's own source, by file. */
  function templatesOf(dir: string): { file: string; text: string }[] {
    return readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((entry) => {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) return [];
      const file = path.join(entry.parentPath, entry.name);
      if (file.includes(`${path.sep}generated${path.sep}`)) return [];
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
      const found: { file: string; text: string }[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push({ file: path.relative(repoRoot, file), text: node.getText(source) });
        else ts.forEachChild(node, visit);
      };
      visit(source);
      return found;
    });
  }

  it('asks whether a member deleted a message for themselves in visibility.ts alone: elsewhere hidden_messages is only written and counted', () => {
    const statements = templatesOf(path.join(repoRoot, 'api/src')).filter(({ text }) => text.includes('hidden_messages'));
    expect(statements.some(({ file }) => file.endsWith('visibility.ts'))).toBe(true);
    // Writing a hide and reading the hidden cursor (its numbering, hidden_seq) are not the rule; a probe by message is.
    const probes = statements.filter(({ file, text }) => !file.endsWith('visibility.ts') && !text.includes('hidden_seq'));
    expect(probes.map(({ file, text }) => `${file}: ${text.replace(/\s+/g, ' ').slice(0, 120)}`)).toEqual([]);
  });
});

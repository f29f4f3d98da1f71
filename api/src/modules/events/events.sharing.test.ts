import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../../../test/factories.js';
import { connect, createGroup, ok, send, type TestEvent } from '../../../test/messenger.js';
import { startTestServer, type TestServer } from '../../../test/server.js';
import { EVENTS_TEXT, MESSAGE_FIELDS_TEXT } from '../../../../web/src/graphql/events.documents.js';
import { isShareable } from './events.sharing.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const subscription = (selection: string, fragments = '') => parse(`subscription { events { ${selection} } } ${fragments}`);

describe('which subscriptions share one execution per event', () => {
  it('the web client’s: every field it asks for is the same for every recipient (or a known variant)', () => {
    expect(isShareable(server.app.schema, parse(EVENTS_TEXT + MESSAGE_FIELDS_TEXT))).toBe(true);
  });

  it('not one that asks for something that depends on the recipient', () => {
    const perRecipient = [
      '... on MessageAddedEvent { message { sender { online } } }',
      '... on MessageAddedEvent { message { sender { isContact } } }',
      '... on TypingEvent { user { lastSeenAt } }',
      '... on MemberJoinedEvent { conversation { id } }',
      '... on ConversationUpdatedEvent { conversation { unreadCount } }',
    ];
    for (const selection of perRecipient) expect(isShareable(server.app.schema, subscription(selection)), selection).toBe(false);
    // A reply's target's own target: who sees that one the change did not decide.
    expect(isShareable(server.app.schema, subscription('... on MessageAddedEvent { message { replyTo { replyTo { id } } } }'))).toBe(false);
    expect(isShareable(server.app.schema, subscription('... on ConversationChange { message { replyTo { ...Quoted } } }', 'fragment Quoted on Message { id ... on Message { replyTo { id } } }'))).toBe(false);
    expect(isShareable(server.app.schema, subscription('... on ConversationChange { message { replyTo { id } } }'))).toBe(true);
    expect(isShareable(server.app.schema, subscription('...Mine', 'fragment Mine on Event { ... on TypingEvent { user { isBlocked } } }'))).toBe(false);
  });
});

describe('a shared execution', () => {
  // (conversationId on both: connect() waits for a probe's MemberJoinedEvent and ConversationRemovedEvent)
  const PROBE = '__typename ... on ConversationChange { conversationId } ... on ConversationRemovedEvent { conversationId }';
  const SHARED = `${PROBE} ... on ConversationChange { seq message { id clientMsgId sender { id displayName } replyTo { id } } }`;
  const people = (n: number) => Promise.all(Array.from({ length: n }, () => registerUser(server)));
  const added = (id: string) => (e: TestEvent) => e.__typename === 'MessageAddedEvent' && e.message?.id === id;

  it('runs once per event and variant, however many recipients, and shows clientMsgId to the sender only', async () => {
    const [owner, ...members] = await people(8);
    const group = await createGroup(server, owner!, members);
    const live = await Promise.all([owner!, ...members].map((person) => connect(server, person, SHARED)));
    const { result: events, queries } = await server.countQueries(async () => {
      const message = await send(server, owner!, group, 'to eight', { clientMsgId: 'eight-1' });
      return Promise.all(live.map(({ stream }) => stream.next(added(message.id))));
    });
    // The send's own 2–3 statements (3 when the session is read again), then one sender lookup that the sender's
    // result and everyone else's share; executed per recipient, it would be one lookup for each of the 8.
    expect(queries).toBeLessThanOrEqual(5);
    expect(events[0]!.message).toMatchObject({ clientMsgId: 'eight-1', sender: { id: owner!.id } });
    for (const event of events.slice(1)) expect(event.message).toMatchObject({ clientMsgId: null, sender: { id: owner!.id } });
  });

  it('answers a reply per recipient: its target shows only to those whose history holds it', async () => {
    const [owner, early, late, other] = await people(4);
    const group = await createGroup(server, owner!, [early!, other!]);
    const target = await send(server, owner!, group, 'before you came');
    ok(await server.gql('mutation($id: ID!, $u: [ID!]!) { addMembers(conversationId: $id, userIds: $u) { id } }', { id: group, u: [late!.id] }, owner!.token));
    const [earlyLive, lateLive, otherLive] = await Promise.all([connect(server, early!, SHARED), connect(server, late!, SHARED), connect(server, other!, SHARED)]);
    const reply = await send(server, owner!, group, 'about that', { replyToId: target.id });
    expect((await earlyLive.stream.next(added(reply.id))).message).toMatchObject({ replyTo: { id: target.id } });
    expect((await lateLive.stream.next(added(reply.id))).message).toMatchObject({ replyTo: null });
    // Its edit too: one who deleted the target for themselves meanwhile sees it no more.
    ok(await server.gql('mutation($id: ID!) { deleteMessageForMe(messageId: $id) }', { id: target.id }, early!.token));
    ok(await server.gql('mutation($id: ID!, $body: String!) { editMessage(messageId: $id, body: $body) { id } }', { id: reply.id, body: 'about that, again' }, owner!.token));
    const edited = (e: TestEvent) => e.__typename === 'MessageEditedEvent' && e.message?.id === reply.id;
    expect((await earlyLive.stream.next(edited)).message).toMatchObject({ replyTo: null });
    expect((await lateLive.stream.next(edited)).message).toMatchObject({ replyTo: null });
    expect((await otherLive.stream.next(edited)).message).toMatchObject({ replyTo: { id: target.id } });
  });

  it('answers a reply to many recipients with no more queries than to a few: who sees its target is decided once, at the send', async () => {
    /**
     * The queries of a reply in a group of `n` who see its target, one who deleted it for
     * themselves and one who came after it, all listening: from its send until each has it.
     */
    const replyCost = async (n: number) => {
      const [owner, hider, late, ...members] = await people(n + 2);
      const group = await createGroup(server, owner!, [hider!, ...members]);
      const target = await send(server, owner!, group, 'the question');
      ok(await server.gql('mutation($id: ID!) { deleteMessageForMe(messageId: $id) }', { id: target.id }, hider!.token));
      ok(await server.gql('mutation($id: ID!, $u: [ID!]!) { addMembers(conversationId: $id, userIds: $u) { id } }', { id: group, u: [late!.id] }, owner!.token));
      const seeing = await Promise.all([owner!, ...members].map((person) => connect(server, person, SHARED)));
      const notSeeing = await Promise.all([hider!, late!].map((person) => connect(server, person, SHARED)));
      // (the owner replies: their session was read by their previous request and is remembered)
      const { result, queries } = await server.countQueries(async () => {
        const reply = await send(server, owner!, group, 'the answer', { replyToId: target.id });
        const heard = (live: typeof seeing) => Promise.all(live.map(({ stream }) => stream.next(added(reply.id))));
        return { seen: await heard(seeing), unseen: await heard(notSeeing) };
      });
      for (const event of result.seen) expect(event.message).toMatchObject({ replyTo: { id: target.id } });
      for (const event of result.unseen) expect(event.message).toMatchObject({ replyTo: null });
      return queries;
    };
    const few = await replyCost(3);
    const many = await replyCost(12);
    expect(many).toBe(few);
  });

  it('leaves a subscription that asks for per-recipient fields to its own execution', async () => {
    const [owner, friend, stranger] = await people(3);
    const group = await createGroup(server, owner!, [friend!, stranger!]);
    ok(await server.gql('mutation($id: ID!) { addContact(input: { userId: $id }) { id } }', { id: owner!.id }, friend!.token));
    const selection = `${PROBE} ... on MessageAddedEvent { message { id sender { id isContact } } }`;
    const [friendLive, strangerLive] = await Promise.all([connect(server, friend!, selection), connect(server, stranger!, selection)]);
    const message = await send(server, owner!, group, 'hello both');
    expect((await friendLive.stream.next(added(message.id))).message).toMatchObject({ sender: { isContact: true } });
    expect((await strangerLive.stream.next(added(message.id))).message).toMatchObject({ sender: { isContact: false } });
  });
});

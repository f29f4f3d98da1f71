import { describe, expect, it } from 'vitest';
import { MAX_PENDING_EVENTS } from './event-queue.js';
import { EventBus, SyncReason, type AppEvent, type MembershipSource } from './events.js';
import { localChannels, type Envelope, type EventChannels } from './pubsub.js';

/** Memberships held in memory: these tests are about the queue, not the database. */
const inMemory = (conversations: Record<string, string[]>): MembershipSource => ({
  isMember: async (userId, conversationId) => (conversations[userId] ?? []).includes(conversationId),
  seqsOf: async (userId) => new Map((conversations[userId] ?? []).map((id) => [id, 0])),
  seqOf: async () => 0,
});
const typing = (conversationId: string, n: number): AppEvent => ({ type: 'TYPING', conversationId, userId: `u${n}` });

describe('the event bus', () => {
  it('delivers in order, only the member’s conversations, and lets go of an ended subscription', async () => {
    const bus = new EventBus(localChannels(), inMemory({ ann: ['c1'] }));
    const stream = bus.subscribe('ann');
    bus.publish(['ann'], typing('c2', 0));
    for (let n = 1; n <= 3; n++) bus.publish(['ann', 'bob'], typing('c1', n));
    const got = [await stream.next(), await stream.next(), await stream.next()].map((step) => (step.value as { userId: string }).userId);
    expect(got).toEqual(['u1', 'u2', 'u3']);
    const waiting = stream.next();
    await stream.return!();
    expect(await waiting).toEqual({ value: undefined, done: true });
    await bus.close();
  });

  it('ends a subscriber that falls too far behind with an error, so its client catches up by seq', async () => {
    const bus = new EventBus(localChannels(), inMemory({ ann: ['c1'] }));
    const stream = bus.subscribe('ann');
    for (let n = 0; n <= MAX_PENDING_EVENTS; n++) {
      bus.publish(['ann'], typing('c1', n));
      if (n % 500 === 0) await new Promise(setImmediate); // changes arrive over time, not in one tick
    }
    await new Promise(setImmediate);
    await expect(stream.next()).rejects.toThrow('too far behind');
    await bus.close();
  });

  it('tells every subscriber here to sync, whatever its conversations, after what was already queued for it', async () => {
    const bus = new EventBus(localChannels(), inMemory({ ann: ['c1'], bob: [] }));
    const [ann, annElsewhere, bob] = [bus.subscribe('ann'), bus.subscribe('ann'), bus.subscribe('bob')];
    bus.publish(['ann'], typing('c1', 1));
    await new Promise(setImmediate); // the pub/sub hands it over on a later tick
    bus.requireSync(SyncReason.EVENTS_INTERRUPTED);
    const sync: AppEvent = { type: 'SYNC_REQUIRED', reason: SyncReason.EVENTS_INTERRUPTED };
    expect([(await ann.next()).value, (await ann.next()).value]).toEqual([typing('c1', 1), sync]);
    expect((await annElsewhere.next()).value).toEqual(typing('c1', 1));
    expect((await annElsewhere.next()).value).toEqual(sync);
    expect((await bob.next()).value).toEqual(sync);
    await bus.close();
  });

  it('ends the subscriptions of a user whose conversations cannot be loaded, with an error: the client reconnects', async () => {
    const failing: MembershipSource = { ...inMemory({}), seqsOf: async () => Promise.reject(new Error('database away')) };
    const bus = new EventBus(localChannels(), failing);
    await expect(bus.subscribe('ann').next()).rejects.toThrow('database away');
    await bus.close();
  });
});

/**
 * Channels as Redis keeps them (an instance receives only what it follows), held in memory,
 * with each follow answered when the test says so.
 */
function selectiveChannels() {
  const followed = new Set<string>();
  const acks: (() => void)[] = [];
  let handler: (envelope: Envelope) => void = () => {};
  const channels: EventChannels = {
    selective: true,
    publish(channel, envelope) {
      if (followed.has(channel)) queueMicrotask(() => handler(envelope));
    },
    follow(names) {
      return new Promise<void>((resolve) => acks.push(() => {
        for (const name of names) followed.add(name);
        resolve();
      }));
    },
    unfollow(names) {
      for (const name of names) followed.delete(name);
    },
    listen(next) {
      handler = next;
    },
  };
  /** Answers every follow asked so far, and those they lead to. */
  const settle = async () => {
    for (let round = 0; round < 10; round++) {
      while (acks.length > 0) acks.shift()!();
      await new Promise(setImmediate);
    }
  };
  return { channels, followed, settle };
}

describe('the event bus between instances', () => {
  it('follows only its own users\' conversations, and a user who reconnects at once keeps them', async () => {
    const { channels, followed, settle } = selectiveChannels();
    const bus = new EventBus(channels, inMemory({ ann: ['c1'] }));
    const first = bus.subscribe('ann');
    await settle();
    expect([...followed].sort()).toEqual(['all', 'c:c1', 'u:ann']);

    // The last subscription ends and another starts at once, twice: once with the first's
    // channels held, once while the first's arrival is still being followed.
    await first.return!();
    const again = bus.subscribe('ann');
    await again.return!();
    const second = bus.subscribe('ann');
    await settle();
    expect([...followed].sort()).toEqual(['all', 'c:c1', 'u:ann']);
    bus.publish(['ann', 'bob'], typing('c1', 1));
    expect((await second.next()).value).toEqual(typing('c1', 1));
    await second.return!();
    await settle();
    expect([...followed]).toEqual(['all']);
    await bus.close();
  });

  it('tells a user to sync when a conversation they were just added to changed before their instance followed it', async () => {
    const { channels, followed, settle } = selectiveChannels();
    let seq = 5;
    const memberships: MembershipSource = { ...inMemory({ ann: [] }), seqOf: async () => seq };
    const bus = new EventBus(channels, memberships);
    const ann = bus.subscribe('ann');
    await settle();
    const message = { id: 'm5', conversationId: 'g', seq: 5 } as never;
    bus.publish(['owner', 'ann'], { type: 'MEMBER_JOINED', conversationId: 'g', seq: 5, userIds: ['ann'], message });
    expect((await ann.next()).value).toMatchObject({ type: 'MEMBER_JOINED', conversationId: 'g' });
    seq = 6; // a message, published before the channel held: it reached nobody here
    await settle();
    expect(followed.has('c:g')).toBe(true);
    expect((await ann.next()).value).toEqual({ type: 'SYNC_REQUIRED', reason: SyncReason.EVENTS_INTERRUPTED });
    await bus.close();
  });
});

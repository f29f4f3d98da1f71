import { describe, expect, it } from 'vitest';
import { EventBus, MAX_PENDING_EVENTS, SyncReason, type AppEvent, type MembershipSource } from './events.js';
import { localChannels } from './pubsub.js';

/** Memberships held in memory: these tests are about the queue, not the database. */
const inMemory = (conversations: Record<string, string[]>): MembershipSource => ({
  conversationsOf: async (userId) => conversations[userId] ?? [],
  isMember: async (userId, conversationId) => (conversations[userId] ?? []).includes(conversationId),
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
});

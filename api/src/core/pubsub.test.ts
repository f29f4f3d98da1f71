import { describe, expect, it } from 'vitest';
import { reviveDates } from './pubsub.js';

describe('events through Redis', () => {
  it('come back with their times as Dates, and everything else as it was sent', () => {
    const createdAt = new Date('2026-11-26T10:00:00.123Z');
    const lastSeenAt = new Date('2026-11-26T09:00:00.000Z');
    const recipients = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
    const sent = {
      recipients,
      event: {
        type: 'MESSAGE_ADDED',
        seq: 7,
        lastSeenAt,
        message: { id: 'm1', body: 'sent at 2026-11-26T10:00:00Z', createdAt, editedAt: null, event: { type: 'TITLE_CHANGED', title: '2026-11-26T10:00' } },
      },
    };
    const received = reviveDates(JSON.parse(JSON.stringify(sent)) as typeof sent);
    expect(received).toStrictEqual(sent);
    expect(received.event.message.createdAt).toBeInstanceOf(Date);
    expect(received.event.lastSeenAt).toBeInstanceOf(Date);
  });
});

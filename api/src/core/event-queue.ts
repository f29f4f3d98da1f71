/**
 * One subscription's queue of events, and the membership filter applied as it is read
 * (see events.ts, whose EventBus fills the queues).
 */
import type { AppEvent } from './events.js';

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * One subscription's pending events, in order. A subscriber this far behind (its socket
 * not taking what it is sent) is ended with an error: its client reconnects and catches
 * up by seq, instead of the server holding an ever longer queue for it.
 */
export const MAX_PENDING_EVENTS = 10_000;

export class EventQueue {
  private readonly pending: AppEvent[] = [];
  private waiting: { resolve(step: IteratorResult<AppEvent, undefined>): void; reject(error: Error): void } | undefined;
  private ended = false;
  private failure: Error | undefined;

  constructor(private readonly onEnd: () => void) {}

  push(event: AppEvent): void {
    if (this.ended) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value: event, done: false });
    } else if (this.pending.length < MAX_PENDING_EVENTS) {
      this.pending.push(event);
    } else {
      this.fail(new Error('the subscriber fell too far behind'));
    }
  }

  next(): Promise<IteratorResult<AppEvent, undefined>> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending.length > 0) return Promise.resolve({ value: this.pending.shift()!, done: false });
    if (this.ended) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorReturnResult<undefined>> {
    this.end();
    return Promise.resolve(DONE);
  }

  throw(error: unknown): Promise<never> {
    this.end();
    return Promise.reject(error);
  }

  /** Ends the subscription with an error (its client reconnects and catches up by seq). */
  fail(error: Error): void {
    if (this.ended) return;
    this.failure = error;
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.pending.length = 0;
    if (this.failure) this.waiting?.reject(this.failure);
    else this.waiting?.resolve(DONE);
    this.waiting = undefined;
    this.onEnd();
  }
}

/**
 * Keeps a subscriber's view of its conversations current and decides whether `event`
 * reaches it: true, false, or 'unknown' when the conversation is not in the view.
 */
export function admit(userId: string, conversations: Set<string>, event: AppEvent): boolean | 'unknown' {
  switch (event.type) {
    case 'PRESENCE':
    case 'PROFILE_CHANGED':
    case 'SYNC_REQUIRED':
      return true;
    case 'CONVERSATION_REMOVED':
      conversations.delete(event.conversationId);
      return true;
    case 'MEMBER_JOINED':
      if (event.userIds.includes(userId)) conversations.add(event.conversationId);
      break;
    case 'MEMBER_LEFT':
      // Their own removal is the last thing they hear of the conversation (the one who leaves
      // by themselves is not among its recipients: they get CONVERSATION_REMOVED).
      if (event.userId === userId) return conversations.delete(event.conversationId);
      break;
  }
  return conversations.has(event.conversationId) || 'unknown';
}


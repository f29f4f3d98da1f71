/**
 * Counts each user's open sockets across instances. In memory for one process; in
 * Redis when instances share REDIS_URL. Each instance also keeps its own counts and a
 * heartbeat, so the counts of an instance that died are taken back by the others.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface PresenceStore {
  /** Counts one more socket; true when the user just came online. */
  connect(userId: string): Promise<boolean>;
  /** Counts one socket less; true when the user just went offline. */
  disconnect(userId: string): Promise<boolean>;
  online(userIds: readonly string[]): Promise<boolean[]>;
  close(): Promise<void>;
}

export class MemoryPresenceStore implements PresenceStore {
  private readonly sockets = new Map<string, number>();

  async connect(userId: string): Promise<boolean> {
    const count = (this.sockets.get(userId) ?? 0) + 1;
    this.sockets.set(userId, count);
    return count === 1;
  }

  async disconnect(userId: string): Promise<boolean> {
    const count = (this.sockets.get(userId) ?? 0) - 1;
    if (count > 0) this.sockets.set(userId, count);
    else this.sockets.delete(userId);
    return count === 0;
  }

  async online(userIds: readonly string[]): Promise<boolean[]> {
    return userIds.map((id) => this.sockets.has(id));
  }

  async close(): Promise<void> {}
}

const GLOBAL = 'dash:presence';
const INSTANCES = 'dash:presence:instances';
const instanceKey = (id: string) => `dash:presence:instance:${id}`;
const heartbeatKey = (id: string) => `dash:presence:alive:${id}`;

export class RedisPresenceStore implements PresenceStore {
  private readonly id = randomUUID();
  private readonly timer: NodeJS.Timeout;

  /** @param heartbeatSeconds how often this instance says it is alive; it is presumed dead after 3 missed beats. */
  constructor(
    private readonly redis: Redis,
    private readonly heartbeatSeconds = 10,
  ) {
    this.timer = setInterval(() => void this.beat().catch(() => {}), heartbeatSeconds * 1000);
    this.timer.unref();
    void this.beat().catch(() => {});
  }

  async connect(userId: string): Promise<boolean> {
    const result = await this.redis.multi().hincrby(GLOBAL, userId, 1).hincrby(instanceKey(this.id), userId, 1).exec();
    return Number(result?.[0]?.[1]) === 1;
  }

  async disconnect(userId: string): Promise<boolean> {
    const result = await this.redis.multi().hincrby(GLOBAL, userId, -1).hincrby(instanceKey(this.id), userId, -1).exec();
    const left = Number(result?.[0]?.[1]);
    if (left <= 0) await this.redis.hdel(GLOBAL, userId);
    if (Number(result?.[1]?.[1]) <= 0) await this.redis.hdel(instanceKey(this.id), userId);
    return left <= 0;
  }

  async online(userIds: readonly string[]): Promise<boolean[]> {
    if (userIds.length === 0) return [];
    const counts = await this.redis.hmget(GLOBAL, ...userIds);
    return counts.map((count) => Number(count) > 0);
  }

  /** Says this instance is alive and takes back the counts of instances that stopped saying so. */
  private async beat(): Promise<void> {
    await this.redis.multi().set(heartbeatKey(this.id), '1', 'EX', this.heartbeatSeconds * 3).sadd(INSTANCES, this.id).exec();
    for (const id of await this.redis.smembers(INSTANCES)) {
      if (id === this.id || (await this.redis.exists(heartbeatKey(id)))) continue;
      await this.takeBack(id);
    }
  }

  /** Subtracts an instance's sockets from the global counts and forgets the instance. */
  private async takeBack(id: string): Promise<void> {
    const counts = await this.redis.hgetall(instanceKey(id));
    const undo = this.redis.multi();
    for (const [userId, count] of Object.entries(counts)) undo.hincrby(GLOBAL, userId, -Number(count));
    await undo.del(instanceKey(id), heartbeatKey(id)).srem(INSTANCES, id).exec();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    // A clean stop gives its counts back at once instead of after the heartbeat expires.
    await this.takeBack(this.id);
  }
}

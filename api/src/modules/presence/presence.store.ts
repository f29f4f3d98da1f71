/**
 * Counts each user's open sockets across instances. In memory for one process; in
 * Redis when instances share REDIS_URL. Each instance also keeps its own counts and a
 * heartbeat, so the counts of an instance that died are taken back by the others, and
 * re-asserts its counts whenever its connection is ready, so an outage leaves none wrong.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface PresenceStore {
  /** Counts one more socket; true when the user just came online (false also when the store cannot tell now). */
  connect(userId: string): Promise<boolean>;
  /** Counts one socket less; true when the user just went offline (false also when the store cannot tell now). */
  disconnect(userId: string): Promise<boolean>;
  online(userIds: readonly string[]): Promise<boolean[]>;
  /** Where a store that can miss changes (Redis away) reports them once it finds them. */
  onCorrection?(listener: (correction: PresenceCorrection) => void): void;
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

/**
 * Counts one socket of a user's less (ARGV[1]), globally and for this instance, removing
 * what reaches 0 in the same step: removed later, it could remove a count that a connection
 * elsewhere had just made 1. Returns the global count left.
 */
const UNCOUNT = `
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
if redis.call('HINCRBY', KEYS[2], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[2], ARGV[1]) end
return left`;

/**
 * Makes this instance's counts in Redis what its sockets say (ARGV: instance id, heartbeat
 * seconds, then user id and count pairs): replaces its hash, moves the global counts by the
 * difference, and says it is alive. Returns the users who came online and went offline.
 */
const REASSERT = `
local delta = {}
local old = redis.call('HGETALL', KEYS[2])
for i = 1, #old, 2 do delta[old[i]] = -tonumber(old[i + 1]) end
redis.call('DEL', KEYS[2])
for i = 3, #ARGV, 2 do
  delta[ARGV[i]] = (delta[ARGV[i]] or 0) + tonumber(ARGV[i + 1])
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
local came, left = {}, {}
for user, change in pairs(delta) do
  if change ~= 0 then
    local after = redis.call('HINCRBY', KEYS[1], user, change)
    if after <= 0 then redis.call('HDEL', KEYS[1], user) end
    local before = after - change
    if before <= 0 and after > 0 then table.insert(came, user) end
    if before > 0 and after <= 0 then table.insert(left, user) end
  end
end
redis.call('SET', KEYS[3], '1', 'EX', ARGV[2])
redis.call('SADD', KEYS[4], ARGV[1])
return {came, left}`;

/**
 * Subtracts an instance's counts from the global ones and forgets the instance (ARGV:
 * instance id, '1' to do it even if the instance is alive). In one step with the check, so
 * an instance that says it is alive in between is never taken back.
 */
const TAKE_BACK = `
if ARGV[2] ~= '1' and redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local counts = redis.call('HGETALL', KEYS[2])
for i = 1, #counts, 2 do
  if redis.call('HINCRBY', KEYS[1], counts[i], -tonumber(counts[i + 1])) <= 0 then redis.call('HDEL', KEYS[1], counts[i]) end
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SREM', KEYS[4], ARGV[1])
return 1`;

/** Users whose online state changed without being counted as it happened (Redis was away). */
export interface PresenceCorrection {
  online: string[];
  offline: string[];
}

/**
 * This instance's sockets are counted here first, then in Redis. While Redis is away the
 * counts are kept here only, and `online` answers from them; every time the connection is
 * ready (at start, after an outage, after Redis restarted empty) this instance's counts in
 * Redis are made what its sockets say, and the users who changed meanwhile are reported.
 */
export class RedisPresenceStore implements PresenceStore {
  private readonly id = randomUUID();
  private readonly timer: NodeJS.Timeout;
  /** This instance's open sockets per user: the truth its counts in Redis are brought back to. */
  private readonly local = new Map<string, number>();
  /** Whether Redis holds this instance's counts as `local` says, since the connection was last ready. */
  private asserted = false;
  private readonly reassertOnReady = () => {
    this.asserted = false;
    void this.reassert();
  };
  private correct: (correction: PresenceCorrection) => void = () => {};

  /** @param heartbeatSeconds how often this instance says it is alive; it is presumed dead after 3 missed beats. */
  constructor(
    private readonly redis: Redis,
    private readonly heartbeatSeconds = 10,
  ) {
    // A re-assertion that failed (Redis lost again, or slow to answer) is tried again with the next beat.
    this.timer = setInterval(() => void (this.asserted ? this.beat().catch(() => {}) : this.reassert()), heartbeatSeconds * 1000);
    this.timer.unref();
    redis.on('ready', this.reassertOnReady);
    if (redis.status === 'ready') this.reassertOnReady();
  }

  /** Where users whose state changed unannounced (while Redis was away) are reported. */
  onCorrection(listener: (correction: PresenceCorrection) => void): void {
    this.correct = listener;
  }

  /** Counted here at once; in Redis if it answers, else when it is back (see {@link reassert}). */
  async connect(userId: string): Promise<boolean> {
    this.local.set(userId, (this.local.get(userId) ?? 0) + 1);
    const result = await this.redis.multi().hincrby(GLOBAL, userId, 1).hincrby(instanceKey(this.id), userId, 1).exec().catch(() => null);
    return Number(result?.[0]?.[1]) === 1;
  }

  /** Uncounted here at once; in Redis if it answers, else when it is back (see {@link reassert}). */
  async disconnect(userId: string): Promise<boolean> {
    const count = (this.local.get(userId) ?? 0) - 1;
    if (count > 0) this.local.set(userId, count);
    else this.local.delete(userId);
    const left = await this.redis.eval(UNCOUNT, 2, GLOBAL, instanceKey(this.id), userId).catch(() => null);
    return left !== null && Number(left) <= 0;
  }

  /** From Redis; while it is away, what this instance knows: users with a socket here are online. */
  async online(userIds: readonly string[]): Promise<boolean[]> {
    if (userIds.length === 0) return [];
    try {
      const counts = await this.redis.hmget(GLOBAL, ...userIds);
      return counts.map((count) => Number(count) > 0);
    } catch {
      return userIds.map((id) => this.local.has(id));
    }
  }

  /**
   * Makes this instance's counts in Redis what its sockets say. Counts sent before this are
   * in both (the hash it replaces and `local`); counts sent after it go on from it: one
   * connection, commands in order.
   */
  private async reassert(): Promise<void> {
    const counts = [...this.local].flatMap(([userId, count]) => [userId, String(count)]);
    const keys = [GLOBAL, instanceKey(this.id), heartbeatKey(this.id), INSTANCES];
    try {
      const [online, offline] = (await this.redis.eval(REASSERT, keys.length, ...keys, this.id, this.heartbeatSeconds * 3, ...counts)) as [string[], string[]];
      this.asserted = true;
      if (online.length > 0 || offline.length > 0) this.correct({ online, offline });
    } catch {
      // Not answered: tried again at the next beat, or the next time the connection is ready.
    }
  }

  /** Says this instance is alive and takes back the counts of instances that stopped saying so. */
  private async beat(): Promise<void> {
    await this.redis.multi().set(heartbeatKey(this.id), '1', 'EX', this.heartbeatSeconds * 3).sadd(INSTANCES, this.id).exec();
    for (const id of await this.redis.smembers(INSTANCES)) {
      if (id !== this.id) await this.takeBack(id, false);
    }
  }

  /** Subtracts an instance's sockets from the global counts and forgets the instance, if it is dead or `force`. */
  private async takeBack(id: string, force: boolean): Promise<void> {
    const keys = [GLOBAL, instanceKey(id), heartbeatKey(id), INSTANCES];
    await this.redis.eval(TAKE_BACK, keys.length, ...keys, id, force ? '1' : '0');
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.redis.off('ready', this.reassertOnReady);
    // A clean stop gives its counts back at once. With Redis away, the other instances take
    // them back once this one's heartbeat expires.
    await this.takeBack(this.id, true).catch(() => {});
  }
}

/**
 * Sessions: opaque random tokens, stored only as SHA-256 hashes, with a sliding
 * expiry that each use extends. Ended sessions are announced on the pub/sub so
 * every instance closes their sockets.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Prisma } from '../../core/db/database.js';
import type { Sql } from '../../core/db/sql.js';
import { notFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import { Topic, type PubSub } from '../../core/pubsub.js';
import type { Viewer } from '../../app/context.js';
import type { SessionInfo } from './accounts.types.js';

const TOKEN_PREFIX = 'dsh_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

interface SessionRow {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
}

/** A session as authentication needs it. */
interface SessionState {
  id: string;
  userId: string;
  expiresAt: Date;
  ip: string | null;
}

/**
 * How long a session read from the database answers for its token without reading it
 * again. Ending a session (logout, revocation, expiry) forgets it at once here and, through
 * the pub/sub, on every instance; this bound only matters if that announcement is lost.
 */
const REMEMBER_MS = 10_000;
/** Sessions remembered at most (the longest remembered go first). */
const REMEMBERED_MAX = 20_000;

export class SessionService {
  /** Extending the expiry is skipped when it would move by less than this, to spare a write per request. */
  private readonly slideStepMs: number;
  /** Recently authenticated sessions by token hash: a busy client's requests skip the session query. */
  private readonly remembered = new Map<string, { session: SessionState; readAt: number }>();
  private readonly tokenHashOf = new Map<string, string>();

  constructor(
    private readonly prisma: Prisma,
    private readonly sql: Sql,
    private readonly pubSub: PubSub,
    private readonly ttlSeconds: number,
  ) {
    this.slideStepMs = Math.min(60_000, (ttlSeconds * 1000) / 100);
  }

  /** Starts a session; the token is returned once and never stored. */
  async create(userId: string, client: ClientInfo): Promise<{ token: string; session: SessionRow }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const session = await this.prisma.session.create({
      data: {
        userId,
        tokenHash: hashToken(token),
        ip: client.ip?.slice(0, 64) ?? null,
        userAgent: client.userAgent?.slice(0, 512) ?? null,
        expiresAt: new Date(Date.now() + this.ttlSeconds * 1000),
      },
    });
    return { token, session };
  }

  /** Resolves a token to its viewer and slides the expiry; null for an unknown or expired token. */
  async authenticate(token: string, client?: ClientInfo): Promise<Viewer | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
    const tokenHash = hashToken(token);
    const now = Date.now();
    const session = await this.read(tokenHash, now);
    if (!session) return null;
    if (session.expiresAt.getTime() <= now) {
      await this.end({ id: session.id });
      return null;
    }
    const expiresAt = now + this.ttlSeconds * 1000;
    const ip = client?.ip?.slice(0, 64);
    if (expiresAt - session.expiresAt.getTime() >= this.slideStepMs || (ip && ip !== session.ip)) {
      // Once a minute per busy session (thousands a minute on a busy server): straight to the pool, as the read.
      const updated = await this.sql.rows<{ id: string }>`
        UPDATE sessions SET last_used_at = ${new Date(now)}, expires_at = ${new Date(expiresAt)}, ip = COALESCE(${ip ?? null}, ip)
        WHERE id = ${session.id}::uuid
        RETURNING id`;
      if (updated.length === 0) {
        this.forget([session.id]);
        return null;
      }
      session.expiresAt = new Date(expiresAt);
      if (ip) session.ip = ip;
    }
    return { userId: session.userId, sessionId: session.id };
  }

  /** Sessions that ended elsewhere (another instance announced them): no longer remembered here. */
  forget(sessionIds: Iterable<string>): void {
    for (const id of sessionIds) {
      const tokenHash = this.tokenHashOf.get(id);
      if (tokenHash === undefined) continue;
      this.tokenHashOf.delete(id);
      this.remembered.delete(tokenHash);
    }
  }

  /**
   * Those of `sessionIds` that have ended (logged out, revoked, expired), forgotten here too:
   * for when their announcement may not have reached this instance (the pub/sub was down).
   */
  async ended(sessionIds: readonly string[]): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    const live = await this.prisma.session.findMany({
      where: { id: { in: [...sessionIds] }, expiresAt: { gt: new Date() } },
      select: { id: true },
    });
    const alive = new Set(live.map((session) => session.id));
    const ended = sessionIds.filter((id) => !alive.has(id));
    this.forget(ended);
    return ended;
  }

  private async read(tokenHash: string, now: number): Promise<SessionState | null> {
    const hit = this.remembered.get(tokenHash);
    // An expiry is never decided on a remembered copy: another instance may have extended it.
    if (hit && now - hit.readAt < REMEMBER_MS && hit.session.expiresAt.getTime() > now) return hit.session;
    // Read for nearly every request: straight to the pool (see core/db/sql.ts).
    const [session = null] = await this.sql.rows<SessionState>`
      SELECT id, user_id AS "userId", expires_at AS "expiresAt", ip FROM sessions WHERE token_hash = ${tokenHash}`;
    this.remembered.delete(tokenHash);
    if (!session) return null;
    if (this.remembered.size >= REMEMBERED_MAX) {
      const [oldestHash, oldest] = this.remembered.entries().next().value!;
      this.remembered.delete(oldestHash);
      this.tokenHashOf.delete(oldest.session.id);
    }
    this.remembered.set(tokenHash, { session, readAt: now });
    this.tokenHashOf.set(session.id, tokenHash);
    return session;
  }

  async list(viewer: Viewer): Promise<SessionInfo[]> {
    const rows = await this.prisma.session.findMany({
      where: { userId: viewer.userId, expiresAt: { gt: new Date() } },
      orderBy: { lastUsedAt: 'desc' },
    });
    return rows.map((row) => toSessionInfo(row, viewer.sessionId));
  }

  /** Ends one of the viewer's sessions; someone else's or a missing one is NOT_FOUND alike. */
  async revoke(viewer: Viewer, sessionId: string): Promise<void> {
    const ended = isUuid(sessionId) ? await this.end({ id: sessionId, userId: viewer.userId }) : 0;
    if (ended === 0) throw notFound('Session');
  }

  /** Deletes expired sessions and closes their sockets. @returns how many were purged. */
  async purgeExpired(now = new Date()): Promise<number> {
    return this.end({ expiresAt: { lte: now } });
  }

  /**
   * Ends every live session of the account but `keep` (the caller's own, when it stays signed
   * in) and closes their sockets; expired ones are left to the purge. @returns how many ended
   */
  async endAllOf(userId: string, keep?: string): Promise<number> {
    return this.end({ userId, expiresAt: { gt: new Date() }, ...(keep ? { id: { not: keep } } : {}) });
  }

  /**
   * Announces sessions deleted by other means (with their account, in its transaction, after
   * it committed): forgotten on every instance, their sockets closed.
   */
  announceEnded(sessionIds: string[]): void {
    if (sessionIds.length === 0) return;
    this.forget(sessionIds);
    this.pubSub.publish(Topic.SessionsEnded, { sessionIds });
  }

  private async end(where: { id?: string | { not: string }; userId?: string; expiresAt?: { lte: Date } | { gt: Date } }): Promise<number> {
    const ended = await this.prisma.session.findMany({ where, select: { id: true } });
    if (ended.length === 0) return 0;
    const sessionIds = ended.map((s) => s.id);
    await this.prisma.session.deleteMany({ where: { id: { in: sessionIds } } });
    this.announceEnded(sessionIds);
    return sessionIds.length;
  }
}

export function toSessionInfo(row: SessionRow, currentSessionId: string): SessionInfo {
  return {
    id: row.id,
    userAgent: row.userAgent,
    ip: row.ip,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    current: row.id === currentSessionId,
  };
}

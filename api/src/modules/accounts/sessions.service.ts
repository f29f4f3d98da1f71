/**
 * Sessions: opaque random tokens, stored only as SHA-256 hashes, with a sliding
 * expiry that each use extends. Ended sessions are announced on the pub/sub so
 * every instance closes their sockets.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Prisma } from '../../core/db/database.js';
import { notFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import { Topic, type PubSub } from '../../core/pubsub.js';
import type { Viewer } from '../../core/context.js';
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

export class SessionService {
  /** Extending the expiry is skipped when it would move by less than this, to spare a write per request. */
  private readonly slideStepMs: number;

  constructor(
    private readonly prisma: Prisma,
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
    const session = await this.prisma.session.findUnique({
      where: { tokenHash: hashToken(token) },
      select: { id: true, userId: true, expiresAt: true, ip: true },
    });
    if (!session) return null;
    const now = Date.now();
    if (session.expiresAt.getTime() <= now) {
      await this.end({ id: session.id });
      return null;
    }
    const expiresAt = now + this.ttlSeconds * 1000;
    if (expiresAt - session.expiresAt.getTime() >= this.slideStepMs || (client?.ip && client.ip !== session.ip)) {
      await this.prisma.session.updateMany({
        where: { id: session.id },
        data: { lastUsedAt: new Date(now), expiresAt: new Date(expiresAt), ...(client?.ip ? { ip: client.ip.slice(0, 64) } : {}) },
      });
    }
    return { userId: session.userId, sessionId: session.id };
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

  private async end(where: { id?: string; userId?: string; expiresAt?: { lte: Date } }): Promise<number> {
    const ended = await this.prisma.session.findMany({ where, select: { id: true } });
    if (ended.length === 0) return 0;
    const sessionIds = ended.map((s) => s.id);
    await this.prisma.session.deleteMany({ where: { id: { in: sessionIds } } });
    this.pubSub.publish(Topic.SessionsEnded, { sessionIds });
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

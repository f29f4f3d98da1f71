/** Builds the services once per process; resolvers reach them through the context. */
import type { Redis } from 'ioredis';
import type { Config } from '../config/env.js';
import type { Prisma } from '../core/db/database.js';
import type { Sql } from '../core/db/sql.js';
import { EventBus, membershipsIn } from '../core/events.js';
import { createLoaders, createRowLoaders, type Loaders, type RowLoaders } from '../core/loaders.js';
import type { PubSub } from '../core/pubsub.js';
import { createLimiter } from '../core/rate-limit.js';
import { AccountService } from '../modules/accounts/accounts.service.js';
import { SessionService } from '../modules/accounts/sessions.service.js';
import { ConversationService } from '../modules/conversations/conversations.service.js';
import { GroupService } from '../modules/conversations/groups.service.js';
import { MessageService } from '../modules/messages/messages.service.js';
import { PresenceService } from '../modules/presence/presence.service.js';
import { MemoryPresenceStore, RedisPresenceStore, type PresenceStore } from '../modules/presence/presence.store.js';
import { UserService } from '../modules/users/users.service.js';

export interface Services {
  accounts: AccountService;
  sessions: SessionService;
  users: UserService;
  conversations: ConversationService;
  groups: GroupService;
  messages: MessageService;
  presence: PresenceService;
  bus: EventBus;
  /** Fresh per-request loaders for a viewer (with `rows`, sharing those row loaders). */
  createLoaders(viewerId: string | null, rows?: RowLoaders): Loaders;
  /** Loaders of rows that read the same for every viewer. */
  createRowLoaders(): RowLoaders;
  close(): Promise<void>;
}

/** @param sql the hot statements' way to the same database (core/db/sql.ts) */
export function createServices(config: Config, prisma: Prisma, sql: Sql, pubSub: PubSub, redis: Redis | undefined): Services {
  const sessions = new SessionService(prisma, sql, pubSub, config.sessionTtlSeconds);
  const accounts = new AccountService(prisma, sessions, {
    loginPerAccount: createLimiter('login-account', config.rateLimits.loginPerAccount, redis),
    loginPerIp: createLimiter('login-ip', config.rateLimits.loginPerIp, redis),
    registerPerIp: createLimiter('register-ip', config.rateLimits.registerPerIp, redis),
  });
  const users = new UserService(prisma);
  const bus = new EventBus(pubSub, membershipsIn(prisma));
  const conversations = new ConversationService(prisma, bus, users);
  const groups = new GroupService(prisma, bus, users, conversations);
  const store: PresenceStore = redis ? new RedisPresenceStore(redis) : new MemoryPresenceStore();
  const presence = new PresenceService(prisma, store, bus);
  const messages = new MessageService(prisma, sql, bus, conversations, users, {
    sendPerAccount: createLimiter('send-account', config.rateLimits.sendPerAccount, redis),
    sendPerIp: createLimiter('send-ip', config.rateLimits.sendPerIp, redis),
  });
  return {
    accounts,
    sessions,
    users,
    conversations,
    groups,
    messages,
    presence,
    bus,
    createLoaders: (viewerId, rows) => createLoaders(prisma, sql, presence, viewerId, rows),
    createRowLoaders: () => createRowLoaders(prisma, sql),
    async close() {
      await presence.close();
      await bus.close();
    },
  };
}

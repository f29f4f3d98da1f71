/** Builds the services once per process; resolvers reach them through the context. */
import type { Redis } from 'ioredis';
import type { Config, RateLimit } from '../config/env.js';
import type { Prisma } from '../core/db/database.js';
import type { Sql } from '../core/db/sql.js';
import { EventBus, membershipsIn, SyncReason } from '../core/events.js';
import { createLoaders, createRowLoaders, type Loaders, type RowLoaders } from './loaders.js';
import type { Logger } from '../core/logger.js';
import type { Mailer } from '../core/mailer.js';
import type { Metrics } from '../core/metrics.js';
import type { PubSubHandle } from '../core/pubsub.js';
import { createLimiter, LimitsFallback } from '../core/rate-limit.js';
import { AccountDeletionService } from '../modules/accounts/account-deletion.js';
import { AccountSettingsService } from '../modules/accounts/account-settings.service.js';
import { AccountService } from '../modules/accounts/accounts.service.js';
import { accountLinks, type AccountLinks } from '../modules/accounts/account.links.js';
import { AccountMailer } from '../modules/accounts/account.mailer.js';
import { EmailChange, EmailVerification } from '../modules/accounts/email-address.service.js';
import { EmailTokens } from '../modules/accounts/email-tokens.js';
import { RecoveryService } from '../modules/accounts/recovery.service.js';
import { SecondFactor } from '../modules/accounts/second-factor.js';
import { SessionService } from '../modules/accounts/sessions.service.js';
import { SignInChallenges } from '../modules/accounts/two-factor.challenges.js';
import { TwoFactorService } from '../modules/accounts/two-factor.service.js';
import { ConversationService } from '../modules/conversations/conversations.service.js';
import { ChangeLog } from '../modules/conversations/conversations.changes.js';
import { ConversationRepository } from '../modules/conversations/conversations.repository.js';
import { GroupService } from '../modules/conversations/groups.service.js';
import { createStorage } from '../core/storage/storage.js';
import { AvatarService } from '../modules/media/avatars.service.js';
import { MediaAttachments } from '../modules/media/media.attachments.js';
import { MediaRepository } from '../modules/media/media.repository.js';
import { MediaService } from '../modules/media/media.service.js';
import { MediaUrls } from '../modules/media/media.urls.js';
import { MessageRepository } from '../modules/messages/messages.repository.js';
import { MessageService } from '../modules/messages/messages.service.js';
import { PresenceService } from '../modules/presence/presence.service.js';
import { MemoryPresenceStore, RedisPresenceStore, type PresenceStore } from '../modules/presence/presence.store.js';
import { StickerRepository } from '../modules/stickers/stickers.repository.js';
import { StickerService } from '../modules/stickers/stickers.service.js';
import { ProfileChanges } from '../modules/users/profile-changes.js';
import { UserService } from '../modules/users/users.service.js';

export interface Services {
  accounts: AccountService;
  /** Password, user name and other sessions of the signed-in account. */
  accountSettings: AccountSettingsService;
  accountDeletion: AccountDeletionService;
  sessions: SessionService;
  users: UserService;
  conversations: ConversationService;
  groups: GroupService;
  messages: MessageService;
  /** Uploads, their storage and signed URLs (modules/media). */
  media: MediaService;
  /** Pictures of people and groups. */
  avatars: AvatarService;
  presence: PresenceService;
  /** Sticker packs: the built-in ones, people's own, their lists (modules/stickers). */
  stickers: StickerService;
  bus: EventBus;
  mailer: Mailer;
  emailTokens: EmailTokens;
  /** Checks TOTP and recovery codes (two-factor sign-in). */
  secondFactor: SecondFactor;
  /** Turns two-factor sign-in on and off; the recovery codes. */
  twoFactor: TwoFactorService;
  /** The links mailed for the account's life (from PUBLIC_URL). */
  links: AccountLinks;
  /** A forgotten password: the reset link and the new password. */
  recovery: RecoveryService;
  /** Confirming the account's email address. */
  emailVerification: EmailVerification;
  /** Changing the account's email address. */
  emailChange: EmailChange;
  /** Fresh per-request loaders for a viewer (with `rows`, sharing those row loaders). */
  createLoaders(viewerId: string | null, rows?: RowLoaders): Loaders;
  /** Loaders of rows that read the same for every viewer. */
  createRowLoaders(): RowLoaders;
  close(): Promise<void>;
}

/** What the services need made beforehand: the mail's way out, the server's secret (core/secrets.ts), the metrics when they are on. */
export interface ServiceInfrastructure {
  mailer: Mailer;
  secret: Buffer;
  metrics?: Metrics;
}

/**
 * @param sql the hot statements' way to the same database (core/db/sql.ts)
 * @param redis for rate limits and presence: a client that fails fast while Redis is away
 * (core/redis.ts); without it, both are counted in this process
 */
export function createServices(
  config: Config,
  prisma: Prisma,
  sql: Sql,
  pubSub: PubSubHandle,
  redis: Redis | undefined,
  logger: Logger,
  { mailer, secret, metrics }: ServiceInfrastructure,
): Services {
  const shared = redis && { redis, fallback: new LimitsFallback(logger) };
  const limit = (name: string, rate: RateLimit) => createLimiter(name, rate, shared);
  const sessions = new SessionService(prisma, sql, pubSub.pubSub, config.sessionTtlSeconds);
  const secondFactor = new SecondFactor(prisma, secret, limit('two-factor-account', config.rateLimits.twoFactorPerAccount));
  const emailTokens = new EmailTokens(prisma);
  const links = accountLinks(config.publicUrl ?? `http://localhost:${config.port}`);
  // One budget of links per account and per address, whichever feature mails them.
  const accountMailer = new AccountMailer(emailTokens, links, mailer, {
    perAccount: limit('mail-account', config.rateLimits.mailPerAccount),
    perAddress: limit('mail-address', config.rateLimits.mailPerAccount),
  });
  const emailVerification = new EmailVerification(prisma, emailTokens, accountMailer, logger);
  const users = new UserService(prisma);
  const bus = new EventBus(pubSub.channels, membershipsIn(sql), metrics);
  const profiles = new ProfileChanges(users, bus, logger);
  const accounts = new AccountService(
    prisma,
    sessions,
    {
      loginPerAccount: limit('login-account', config.rateLimits.loginPerAccount),
      loginPerIp: limit('login-ip', config.rateLimits.loginPerIp),
      registerPerIp: limit('register-ip', config.rateLimits.registerPerIp),
    },
    new SignInChallenges(prisma, secondFactor),
    emailVerification,
    profiles,
  );
  // What was published while this instance's subscriptions were down never reached it.
  const stopSyncOnResume = pubSub.onResumed(() => bus.requireSync(SyncReason.EVENTS_INTERRUPTED));
  const conversationRepository = new ConversationRepository(prisma);
  const conversations = new ConversationService(conversationRepository, bus, users);
  const changeLog = new ChangeLog(sql);
  const groups = new GroupService(conversationRepository, bus, changeLog, users, conversations);
  const store: PresenceStore = redis ? new RedisPresenceStore(redis) : new MemoryPresenceStore();
  const presence = new PresenceService(prisma, store, bus, logger);
  const stickers = new StickerService(new StickerRepository(prisma), logger);
  const mediaRepository = new MediaRepository(prisma);
  const media = new MediaService(
    mediaRepository,
    createStorage(config),
    new MediaUrls(secret, config.media.urlTtlSeconds),
    limit('upload-account', config.rateLimits.uploadPerAccount),
    config.media,
    logger,
  );
  const messages = new MessageService(new MessageRepository(prisma, sql), bus, changeLog, conversations, users, new MediaAttachments(mediaRepository), stickers, {
    sendPerAccount: limit('send-account', config.rateLimits.sendPerAccount),
    sendPerIp: limit('send-ip', config.rateLimits.sendPerIp),
  });
  return {
    accounts,
    sessions,
    users,
    conversations,
    groups,
    messages,
    media,
    avatars: new AvatarService(mediaRepository, media, groups, profiles),
    presence,
    stickers,
    bus,
    mailer,
    emailTokens,
    secondFactor,
    twoFactor: new TwoFactorService(prisma, accounts, sessions, secondFactor),
    accountSettings: new AccountSettingsService(
      prisma,
      accounts,
      sessions,
      emailTokens,
      accountMailer,
      limit('username-change-account', config.rateLimits.usernameChangePerAccount),
      profiles,
    ),
    accountDeletion: new AccountDeletionService(prisma, accounts, secondFactor, sessions, groups),
    links,
    recovery: new RecoveryService(prisma, accounts, sessions, emailTokens, accountMailer, limit('reset-ip', config.rateLimits.resetPerIp), logger),
    emailVerification,
    emailChange: new EmailChange(prisma, accounts, emailTokens, accountMailer),
    createLoaders: (viewerId, rows) => createLoaders(prisma, sql, presence, viewerId, rows),
    createRowLoaders: () => createRowLoaders(prisma, sql),
    async close() {
      stopSyncOnResume();
      await presence.close();
      await bus.close();
      mailer.close();
    },
  };
}

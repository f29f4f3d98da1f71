/** Builds the services once per process; resolvers reach them through the context. */
import type { Redis } from 'ioredis';
import type { Config } from '../config/env.js';
import type { Prisma } from '../core/db/database.js';
import type { PubSub } from '../core/pubsub.js';
import { createLimiter } from '../core/rate-limit.js';
import { AccountService } from '../modules/accounts/accounts.service.js';
import { SessionService } from '../modules/accounts/sessions.service.js';

export interface Services {
  accounts: AccountService;
  sessions: SessionService;
}

export function createServices(config: Config, prisma: Prisma, pubSub: PubSub, redis: Redis | undefined): Services {
  const sessions = new SessionService(prisma, pubSub, config.sessionTtlSeconds);
  const accounts = new AccountService(prisma, sessions, {
    loginPerAccount: createLimiter('login-account', config.rateLimits.loginPerAccount, redis),
    loginPerIp: createLimiter('login-ip', config.rateLimits.loginPerIp, redis),
    registerPerIp: createLimiter('register-ip', config.rateLimits.registerPerIp, redis),
  });
  return { accounts, sessions };
}

/**
 * The one place that reads the environment. It validates every variable at start-up
 * and fails with the full list of problems, so a host fixes them in one go.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import proxyAddr from 'proxy-addr';

/**
 * The project folder: the nearest one above `from` whose package.json declares the npm
 * workspaces. Searched rather than counted, because this file runs from api/src (tsx) and
 * from the compiled api/dist/api/src (the image), at different depths.
 */
export function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (declaresWorkspaces(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json with "workspaces" above ${from}`);
  }
}

function declaresWorkspaces(file: string): boolean {
  try {
    return 'workspaces' in (JSON.parse(readFileSync(file, 'utf8')) as object);
  } catch {
    return false;
  }
}

/** The project folder, where prisma/migrations, web/dist and schema.graphql live. */
export const repoRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A limit of `points` actions per `durationSeconds`, as written "10/15m". */
export interface RateLimit {
  points: number;
  durationSeconds: number;
}

/** S3-compatible object storage for media (AWS S3, MinIO, Garage…): several instances then share what was uploaded. */
export interface S3Config {
  bucket: string;
  /** The service's address, e.g. `http://minio:9000`; unset: AWS S3 in `region`. */
  endpoint: string | undefined;
  /** @default "us-east-1" */
  region: string;
  /** Unset (both): the AWS SDK's own chain (environment, instance role…). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Bucket in the path (`endpoint/bucket/key`), as MinIO wants. @default true with an endpoint */
  forcePathStyle: boolean;
}

/**
 * Uploads (modules/media): where they are kept, and their bounds. Sizes in bytes. Without S3
 * they are kept in `DATA_DIR/media`, where uploads in progress always wait.
 */
export interface MediaConfig {
  /** Set when S3_BUCKET is: media go to object storage instead of `DATA_DIR/media`. */
  s3: S3Config | undefined;
  limits: {
    /** @default 20 MB */
    photoBytes: number;
    /** Width × height of a photo (and of any image): more is refused before it is decoded. @default 40,000,000 */
    photoPixels: number;
    /** @default 100 MB */
    fileBytes: number;
    /** @default 512 KB */
    stickerBytes: number;
    /** @default 10 MB */
    avatarBytes: number;
  };
  /** Stored bytes per account, all purposes together. @default 2 GB */
  quotaBytes: number;
  /** How long a signed media URL works (it may work up to twice this: URLs are made per window, so browsers cache them). @default 10 minutes */
  urlTtlSeconds: number;
  /**
   * How often this instance sweeps media nothing uses any more (modules/media/media.sweeper.ts);
   * 0: never. Several instances may sweep at once. @default 1 hour; off with NODE_ENV=test (tests sweep when they say)
   */
  sweepIntervalSeconds: number;
  /**
   * How long an upload nothing uses (never sent, a removed sticker's image) is kept before the
   * sweep removes it, and stored content after it was last claimed. @default 24 hours
   */
  unusedAfterSeconds: number;
}

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  /** HTTP and WebSocket port. @default 4000 */
  port: number;
  /** Interface to listen on. @default "0.0.0.0" */
  host: string;
  /** PostgreSQL connection string; when absent the embedded database (PGlite) in `dataDir` is used. */
  databaseUrl: string | undefined;
  /** Folder for the embedded database and uploads (`media/`); relative to the project folder. @default ".data" */
  dataDir: string;
  /** Redis connection string; when set, pub/sub and rate limits are shared between instances. */
  redisUrl: string | undefined;
  /** Sliding session lifetime in seconds. @default 30 days */
  sessionTtlSeconds: number;
  /** How often expired sessions are purged, in seconds. @default 10 minutes */
  sessionPurgeIntervalSeconds: number;
  /** Whether to load demo data into an empty database: `auto` does so for the embedded database only. */
  seedDemo: 'auto' | 'true' | 'false';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Allow schema introspection. @default true */
  introspection: boolean;
  /** Serve the GraphQL playground at /playground (and /graphql to browsers). @default true, false in production */
  playground: boolean;
  /** Express `trust proxy` setting, for client IPs behind a reverse proxy. @default false */
  trustProxy: boolean | number | string;
  /** Folder of the built web client served at `/`. @default "web/dist" */
  webDist: string;
  /**
   * The address people open, e.g. `https://chat.example.org`: links in mail are built from it
   * (never from a request's Host header), and an `https:` one turns on HSTS.
   */
  publicUrl: string | undefined;
  /** Bounds on WebSockets from one client address (the proxy's unless TRUST_PROXY is set). */
  webSocketLimits: {
    /** Open sockets per address. @default 200 */
    socketsPerIp: number;
    /** Sockets per address still in their handshake (not yet signed in). @default 20 */
    handshakesPerIp: number;
  };
  mail: {
    /** `smtp://user:pass@host:port` (or `smtps://`); unset: each mail is written to `DATA_DIR/mail/` as an .eml file. */
    smtpUrl: string | undefined;
    /** The sender of every mail. @default "Dash <no-reply@PUBLIC_URL's host>" */
    from: string;
  };
  /** `/metrics` for Prometheus (app/metrics.ts). */
  metrics: {
    /** Whether `/metrics` is served; 404 when not. @default true, but in production only with a `token` */
    enabled: boolean;
    /** When set, `/metrics` answers only requests with `Authorization: Bearer <token>` (401 otherwise). */
    token: string | undefined;
  };
  /**
   * The server's secret (base64 or hex, 32 bytes or more): two-factor secrets are encrypted with
   * a key derived from it. Unset: one is made and kept in `DATA_DIR/secret.key` (a laptop, one
   * machine); required in production with DATABASE_URL, where every instance must hold the same.
   */
  secretKey: Buffer | undefined;
  media: MediaConfig;
  rateLimits: {
    loginPerAccount: RateLimit;
    loginPerIp: RateLimit;
    registerPerIp: RateLimit;
    sendPerAccount: RateLimit;
    sendPerIp: RateLimit;
    /** Password reset requests per client address. */
    resetPerIp: RateLimit;
    /** Mails (reset, verification, email change) per target account and per address mailed. */
    mailPerAccount: RateLimit;
    /** Two-factor codes (and recovery codes) tried per account. */
    twoFactorPerAccount: RateLimit;
    /** User name changes per account. */
    usernameChangePerAccount: RateLimit;
    /** Uploads (POST /media) per account. */
    uploadPerAccount: RateLimit;
  };
}

type Env = Record<string, string | undefined>;

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Parses "90", "90s", "15m", "12h" or "30d" into seconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * DURATION_UNITS[match[2] || 's']!;
  return seconds > 0 ? seconds : undefined;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Parses "512KB", "20MB", "2GB" or a number of bytes (binary units: 1 KB = 1024 bytes); undefined when malformed. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  if (!match) return undefined;
  const bytes = Number(match[1]) * SIZE_UNITS[(match[2] ?? '').toLowerCase()]!;
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** Parses "10/15m" (10 actions per 15 minutes). */
export function parseRateLimit(text: string): RateLimit | undefined {
  const [points, duration] = text.split('/');
  if (!points || !duration || !/^\d+$/.test(points.trim())) return undefined;
  const durationSeconds = parseDuration(duration);
  const count = Number(points);
  return durationSeconds && count > 0 ? { points: count, durationSeconds } : undefined;
}

/**
 * The process's environment over the variables of an env file: `ENV_FILE` if set (empty:
 * none), else the project folder's `.env` when there is one. The environment wins, so a
 * variable set for one run overrides the file.
 */
export function environment(processEnv: Env = process.env): Env {
  const file = processEnv.ENV_FILE ?? path.join(repoRoot, '.env');
  if (!file) return processEnv;
  let text: string;
  try {
    text = readFileSync(path.resolve(repoRoot, file), 'utf8');
  } catch (error) {
    // No .env is the usual case; a file named on purpose must exist.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && processEnv.ENV_FILE === undefined) return processEnv;
    throw new ConfigError([`ENV_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return { ...parseEnv(text), ...processEnv };
}

/** Reads and validates the configuration; throws one error listing every bad variable. */
export function loadConfig(env: Env = environment()): Config {
  const problems: string[] = [];

  function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = env[name]?.trim();
    if (!value) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
    return fallback;
  }
  function integer(name: string, fallback: number, min: number, max: number): number {
    const value = env[name]?.trim();
    if (!value) return fallback;
    const parsed = Number(value);
    if (Number.isInteger(parsed) && parsed >= min && parsed <= max) return parsed;
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
    return fallback;
  }
  function duration(name: string, fallback: string): number {
    const value = env[name]?.trim() || fallback;
    const parsed = parseDuration(value);
    if (parsed) return parsed;
    problems.push(`${name} must be a duration such as 90s, 15m, 12h or 30d (got "${value}")`);
    return parseDuration(fallback)!;
  }
  /** A duration, or 0 for `off` (or `0`): something periodic that is switched off. */
  function durationOrOff(name: string, fallback: string): number {
    const value = env[name]?.trim() || fallback;
    if (value === 'off' || value === '0') return 0;
    const parsed = parseDuration(value);
    if (parsed) return parsed;
    problems.push(`${name} must be a duration such as 90s, 15m, 12h or 30d, or off (got "${value}")`);
    return parseDuration(fallback)!;
  }
  function rateLimit(name: string, fallback: string): RateLimit {
    const value = env[name]?.trim() || fallback;
    const parsed = parseRateLimit(value);
    if (parsed) return parsed;
    problems.push(`${name} must look like 10/15m: actions per duration (got "${value}")`);
    return parseRateLimit(fallback)!;
  }
  function size(name: string, fallback: string, max = 1024 ** 4): number {
    const value = env[name]?.trim() || fallback;
    const parsed = parseSize(value);
    if (parsed && parsed <= max) return parsed;
    problems.push(`${name} must be a size such as 512KB, 20MB or 2GB, at most ${max} bytes (got "${value}")`);
    return parseSize(fallback)!;
  }
  function url(name: string, protocols: string[]): string | undefined {
    const value = env[name]?.trim();
    if (!value) return undefined;
    try {
      const parsed = new URL(value);
      if (protocols.includes(parsed.protocol)) return value;
    } catch {
      // reported below
    }
    problems.push(`${name} must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL`);
    return undefined;
  }
  function boolean(name: string, fallback: boolean): boolean {
    const value = env[name]?.trim().toLowerCase();
    if (!value) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    problems.push(`${name} must be true or false (got "${value}")`);
    return fallback;
  }
  function secretKey(): Buffer | undefined {
    const value = env.SECRET_KEY?.trim();
    if (!value) return undefined;
    const key = /^[0-9a-f]+$/i.test(value) && value.length % 2 === 0 ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
    if (key.length >= 32) return key;
    problems.push('SECRET_KEY must hold 32 bytes or more, as base64 or hex (e.g. `openssl rand -base64 32`)');
    return undefined;
  }
  function s3(): S3Config | undefined {
    const bucket = env.S3_BUCKET?.trim();
    const endpoint = url('S3_ENDPOINT', ['http:', 'https:']);
    const accessKeyId = env.S3_ACCESS_KEY_ID?.trim();
    const secretAccessKey = env.S3_SECRET_ACCESS_KEY?.trim();
    if (!bucket) {
      if (endpoint || accessKeyId || secretAccessKey) problems.push('S3_BUCKET is required with the other S3_ variables');
      return undefined;
    }
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) problems.push(`S3_BUCKET must be a bucket name: 3–63 of a–z 0–9 . - (got "${bucket}")`);
    if (!accessKeyId !== !secretAccessKey) problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both or neither');
    return {
      bucket,
      endpoint,
      region: env.S3_REGION?.trim() || 'us-east-1',
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
      forcePathStyle: boolean('S3_FORCE_PATH_STYLE', endpoint !== undefined),
    };
  }
  function mailFrom(value: string | undefined, publicUrl: string | undefined): string {
    if (value) {
      if (/^[^<>\r\n]*<[^@<>\s]+@[^@<>\s]+>$|^[^@<>\s]+@[^@<>\s]+$/.test(value)) return value;
      problems.push(`MAIL_FROM must be an address, or a name and <address> (got "${value}")`);
    }
    return `Dash <no-reply@${publicUrl ? new URL(publicUrl).hostname : 'localhost'}>`;
  }
  function readMetricsToken(): string | undefined {
    const value = env.METRICS_TOKEN?.trim();
    if (!value) return undefined;
    if (/^[\x21-\x7e]{16,}$/.test(value)) return value;
    // A secret: the message never repeats it.
    problems.push('METRICS_TOKEN must be 16 or more visible ASCII characters without spaces (e.g. `openssl rand -hex 32`)');
    return undefined;
  }
  function trustProxy(): boolean | number | string {
    const value = env.TRUST_PROXY?.trim();
    if (!value || value === 'false') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) return Number(value);
    // A list of addresses, subnets or names (loopback, linklocal, uniquelocal), as Express reads it.
    try {
      proxyAddr.compile(value.split(',').map((item) => item.trim()));
      return value;
    } catch {
      problems.push(`TRUST_PROXY must be true, false, a number of proxies, or addresses and subnets separated by commas (got "${value}")`);
      return false;
    }
  }

  const nodeEnv = oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const metricsToken = readMetricsToken();
  const config: Config = {
    nodeEnv,
    port: integer('PORT', 4000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
    // Relative paths are relative to the project folder, wherever npm runs the script from.
    dataDir: path.resolve(repoRoot, env.DATA_DIR?.trim() || '.data'),
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    sessionTtlSeconds: duration('SESSION_TTL', '30d'),
    sessionPurgeIntervalSeconds: duration('SESSION_PURGE_INTERVAL', '10m'),
    seedDemo: oneOf('SEED_DEMO', ['auto', 'true', 'false'] as const, 'auto'),
    logLevel: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    introspection: boolean('GRAPHQL_INTROSPECTION', true),
    playground: boolean('PLAYGROUND', nodeEnv !== 'production'),
    trustProxy: trustProxy(),
    webDist: path.resolve(repoRoot, env.WEB_DIST?.trim() || 'web/dist'),
    publicUrl: url('PUBLIC_URL', ['http:', 'https:'])?.replace(/\/+$/, ''),
    webSocketLimits: {
      socketsPerIp: integer('WS_MAX_SOCKETS_PER_IP', 200, 1, 1_000_000),
      handshakesPerIp: integer('WS_MAX_HANDSHAKES_PER_IP', 20, 1, 1_000_000),
    },
    mail: { smtpUrl: url('SMTP_URL', ['smtp:', 'smtps:']), from: '' },
    // Open on a laptop; in production only behind a token, unless METRICS=true says the network guards it.
    metrics: { enabled: boolean('METRICS', nodeEnv !== 'production' || metricsToken !== undefined), token: metricsToken },
    secretKey: secretKey(),
    media: {
      s3: s3(),
      limits: {
        photoBytes: size('MEDIA_PHOTO_MAX_SIZE', '20MB', 2 ** 31 - 1),
        photoPixels: integer('MEDIA_PHOTO_MAX_PIXELS', 40_000_000, 1, 1_000_000_000),
        fileBytes: size('MEDIA_FILE_MAX_SIZE', '100MB', 2 ** 31 - 1),
        stickerBytes: size('MEDIA_STICKER_MAX_SIZE', '512KB', 2 ** 31 - 1),
        avatarBytes: size('MEDIA_AVATAR_MAX_SIZE', '10MB', 2 ** 31 - 1),
      },
      quotaBytes: size('MEDIA_QUOTA_PER_ACCOUNT', '2GB'),
      urlTtlSeconds: duration('MEDIA_URL_TTL', '10m'),
      sweepIntervalSeconds: durationOrOff('MEDIA_SWEEP_INTERVAL', nodeEnv === 'test' ? 'off' : '1h'),
      unusedAfterSeconds: duration('MEDIA_UNUSED_AFTER', '24h'),
    },
    rateLimits: {
      loginPerAccount: rateLimit('RATE_LIMIT_LOGIN_PER_ACCOUNT', '10/15m'),
      loginPerIp: rateLimit('RATE_LIMIT_LOGIN_PER_IP', '100/15m'),
      registerPerIp: rateLimit('RATE_LIMIT_REGISTER_PER_IP', '20/1h'),
      sendPerAccount: rateLimit('RATE_LIMIT_SEND_PER_ACCOUNT', '30/10s'),
      sendPerIp: rateLimit('RATE_LIMIT_SEND_PER_IP', '300/10s'),
      resetPerIp: rateLimit('RATE_LIMIT_RESET_PER_IP', '20/1h'),
      mailPerAccount: rateLimit('RATE_LIMIT_MAIL_PER_ACCOUNT', '5/1h'),
      twoFactorPerAccount: rateLimit('RATE_LIMIT_TWO_FACTOR_PER_ACCOUNT', '10/15m'),
      usernameChangePerAccount: rateLimit('RATE_LIMIT_USERNAME_CHANGE_PER_ACCOUNT', '3/1d'),
      uploadPerAccount: rateLimit('RATE_LIMIT_UPLOAD_PER_ACCOUNT', '100/10m'),
    },
  };

  config.mail.from = mailFrom(env.MAIL_FROM?.trim(), config.publicUrl);
  if (!config.secretKey && config.nodeEnv === 'production' && config.databaseUrl) {
    problems.push('SECRET_KEY is required in production with DATABASE_URL: every instance must hold the same (e.g. `openssl rand -base64 32`)');
  }

  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return config;
}

/** loadConfig for entry points: prints the problems and exits instead of throwing. */
export function loadConfigOrExit(env?: Env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

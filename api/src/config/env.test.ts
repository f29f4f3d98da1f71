import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, environment, findProjectRoot, loadConfig, parseDuration, parseRateLimit, repoRoot } from './env.js';

describe('loadConfig', () => {
  it('has working defaults for an empty environment: embedded database, in-process pub/sub', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 4000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      redisUrl: undefined,
      dataDir: path.join(repoRoot, '.data'),
      sessionTtlSeconds: 30 * 86400,
      seedDemo: 'auto',
      introspection: true,
      trustProxy: false,
      rateLimits: { loginPerAccount: { points: 10, durationSeconds: 900 } },
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://u:p@db:5432/dash',
      REDIS_URL: 'redis://cache:6379',
      DATA_DIR: '/var/lib/dash',
      SESSION_TTL: '12h',
      SESSION_PURGE_INTERVAL: '90s',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      GRAPHQL_INTROSPECTION: 'off',
      PLAYGROUND: 'on',
      TRUST_PROXY: '1',
      WEB_DIST: '/srv/web',
      PUBLIC_URL: 'https://chat.example.org/',
      WS_MAX_SOCKETS_PER_IP: '50',
      WS_MAX_HANDSHAKES_PER_IP: '5',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '5/1m',
      RATE_LIMIT_LOGIN_PER_IP: '50/10m',
      RATE_LIMIT_REGISTER_PER_IP: '3/1d',
      RATE_LIMIT_SEND_PER_ACCOUNT: '5/1s',
      RATE_LIMIT_SEND_PER_IP: '50/1s',
      RATE_LIMIT_RESET_PER_IP: '4/1h',
      RATE_LIMIT_MAIL_PER_ACCOUNT: '2/1h',
      RATE_LIMIT_TWO_FACTOR_PER_ACCOUNT: '6/5m',
      RATE_LIMIT_USERNAME_CHANGE_PER_ACCOUNT: '1/1d',
      SMTP_URL: 'smtp://mailer:secret@mail.example.org:587',
      MAIL_FROM: 'Chat <chat@example.org>',
      SECRET_KEY: Buffer.alloc(32, 9).toString('hex'),
      METRICS: 'false',
      METRICS_TOKEN: 'a-long-enough-scrape-token',
      RATE_LIMIT_UPLOAD_PER_ACCOUNT: '7/1m',
      MEDIA_PHOTO_MAX_SIZE: '8MB',
      MEDIA_PHOTO_MAX_PIXELS: '1000000',
      MEDIA_FILE_MAX_SIZE: '1GB',
      MEDIA_STICKER_MAX_SIZE: '256kb',
      MEDIA_AVATAR_MAX_SIZE: '1048576',
      MEDIA_QUOTA_PER_ACCOUNT: '5GB',
      MEDIA_URL_TTL: '90s',
      MEDIA_SWEEP_INTERVAL: '15m',
      MEDIA_UNUSED_AFTER: '2d',
      S3_BUCKET: 'dash-media',
      S3_ENDPOINT: 'http://minio:9000',
      S3_REGION: 'eu-central-1',
      S3_ACCESS_KEY_ID: 'key-id',
      S3_SECRET_ACCESS_KEY: 'key-secret',
      S3_FORCE_PATH_STYLE: 'false',
    });
    expect(config).toEqual({
      nodeEnv: 'production',
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://u:p@db:5432/dash',
      redisUrl: 'redis://cache:6379',
      dataDir: '/var/lib/dash',
      sessionTtlSeconds: 43200,
      sessionPurgeIntervalSeconds: 90,
      seedDemo: 'false',
      logLevel: 'warn',
      introspection: false,
      playground: true,
      trustProxy: 1,
      webDist: '/srv/web',
      publicUrl: 'https://chat.example.org',
      webSocketLimits: { socketsPerIp: 50, handshakesPerIp: 5 },
      rateLimits: {
        loginPerAccount: { points: 5, durationSeconds: 60 },
        loginPerIp: { points: 50, durationSeconds: 600 },
        registerPerIp: { points: 3, durationSeconds: 86400 },
        sendPerAccount: { points: 5, durationSeconds: 1 },
        sendPerIp: { points: 50, durationSeconds: 1 },
        resetPerIp: { points: 4, durationSeconds: 3600 },
        mailPerAccount: { points: 2, durationSeconds: 3600 },
        twoFactorPerAccount: { points: 6, durationSeconds: 300 },
        usernameChangePerAccount: { points: 1, durationSeconds: 86400 },
        uploadPerAccount: { points: 7, durationSeconds: 60 },
      },
      media: {
        s3: {
          bucket: 'dash-media',
          endpoint: 'http://minio:9000',
          region: 'eu-central-1',
          credentials: { accessKeyId: 'key-id', secretAccessKey: 'key-secret' },
          forcePathStyle: false,
        },
        limits: { photoBytes: 8 * 1024 ** 2, photoPixels: 1_000_000, fileBytes: 1024 ** 3, stickerBytes: 256 * 1024, avatarBytes: 1024 ** 2 },
        quotaBytes: 5 * 1024 ** 3,
        urlTtlSeconds: 90,
        sweepIntervalSeconds: 900,
        unusedAfterSeconds: 2 * 86400,
      },
      mail: { smtpUrl: 'smtp://mailer:secret@mail.example.org:587', from: 'Chat <chat@example.org>' },
      metrics: { enabled: false, token: 'a-long-enough-scrape-token' },
      secretKey: Buffer.alloc(32, 9),
    });
  });

  it('refuses bad media sizes and half an S3 configuration, naming each variable', () => {
    expect(() => loadConfig({ MEDIA_PHOTO_MAX_SIZE: '20 parsecs', MEDIA_FILE_MAX_SIZE: '3GB', S3_ENDPOINT: 'http://minio:9000', S3_ACCESS_KEY_ID: 'id' })).toThrow(
      /S3_BUCKET is required[\s\S]*MEDIA_PHOTO_MAX_SIZE must be a size[\s\S]*MEDIA_FILE_MAX_SIZE must be a size/,
    );
    expect(() => loadConfig({ S3_BUCKET: 'Not_A_Bucket', S3_SECRET_ACCESS_KEY: 'secret' })).toThrow(/S3_BUCKET must be a bucket name[\s\S]*set both or neither/);
    expect(loadConfig({ S3_BUCKET: 'media', S3_ENDPOINT: 'http://127.0.0.1:9000' }).media.s3).toEqual({
      bucket: 'media',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      credentials: undefined,
      forcePathStyle: true,
    });
  });

  it('sweeps media every hour, never in tests unless asked, and never with MEDIA_SWEEP_INTERVAL=off', () => {
    expect(loadConfig({}).media).toMatchObject({ sweepIntervalSeconds: 3600, unusedAfterSeconds: 86400 });
    expect(loadConfig({ NODE_ENV: 'test' }).media.sweepIntervalSeconds).toBe(0);
    expect(loadConfig({ NODE_ENV: 'test', MEDIA_SWEEP_INTERVAL: '5m' }).media.sweepIntervalSeconds).toBe(300);
    expect(loadConfig({ MEDIA_SWEEP_INTERVAL: 'off' }).media.sweepIntervalSeconds).toBe(0);
    expect(() => loadConfig({ MEDIA_SWEEP_INTERVAL: 'hourly', MEDIA_UNUSED_AFTER: '0' })).toThrow(
      /MEDIA_SWEEP_INTERVAL must be a duration[\s\S]*or off[\s\S]*MEDIA_UNUSED_AFTER must be a duration/,
    );
  });

  it('serves /metrics outside production, and in production with a token or METRICS=true; never repeats a bad token', () => {
    const token = 'b'.repeat(32);
    expect(loadConfig({}).metrics).toEqual({ enabled: true, token: undefined });
    expect(loadConfig({ METRICS: 'false' }).metrics.enabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).metrics).toEqual({ enabled: false, token: undefined });
    expect(loadConfig({ NODE_ENV: 'production', METRICS_TOKEN: ` ${token} ` }).metrics).toEqual({ enabled: true, token });
    expect(loadConfig({ NODE_ENV: 'production', METRICS: 'true' }).metrics).toEqual({ enabled: true, token: undefined });
    expect(loadConfig({ NODE_ENV: 'production', METRICS: 'false', METRICS_TOKEN: token }).metrics.enabled).toBe(false);
    for (const bad of ['short-secret', 'has a space in the middle', 'ünïcödé-ünïcödé-ünïcödé']) {
      expect(() => loadConfig({ METRICS_TOKEN: bad })).toThrow(/METRICS_TOKEN must be 16 or more visible ASCII characters/);
      expect(() => loadConfig({ METRICS_TOKEN: bad })).not.toThrow(bad);
    }
    expect(() => loadConfig({ METRICS: 'sometimes' })).toThrow(/METRICS must be true or false/);
  });

  it('needs SECRET_KEY in production with PostgreSQL, of 32 bytes or more; sends mail from PUBLIC_URL by default', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/dash' })).toThrow(/SECRET_KEY is required/);
    expect(loadConfig({ NODE_ENV: 'production' }).secretKey).toBeUndefined(); // embedded: kept in DATA_DIR
    expect(() => loadConfig({ SECRET_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/32 bytes or more/);
    expect(loadConfig({ SECRET_KEY: Buffer.alloc(48, 1).toString('base64') }).secretKey).toEqual(Buffer.alloc(48, 1));
    expect(loadConfig({ PUBLIC_URL: 'https://chat.example.org' }).mail.from).toBe('Dash <no-reply@chat.example.org>');
    expect(loadConfig({}).mail).toEqual({ smtpUrl: undefined, from: 'Dash <no-reply@localhost>' });
    expect(() => loadConfig({ MAIL_FROM: 'not an address' })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig({ SMTP_URL: 'http://mail' })).toThrow(/SMTP_URL/);
  });

  it('serves the playground outside production, and in production only when PLAYGROUND says so', () => {
    expect(loadConfig({}).playground).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).playground).toBe(true);
    expect(loadConfig({ PLAYGROUND: 'false' }).playground).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).playground).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', PLAYGROUND: '' }).playground).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', PLAYGROUND: 'true' }).playground).toBe(true);
    // Independent of introspection: the page says when the schema cannot be introspected.
    expect(loadConfig({ PLAYGROUND: 'true', GRAPHQL_INTROSPECTION: 'false' })).toMatchObject({ playground: true, introspection: false });
    expect(() => loadConfig({ PLAYGROUND: 'sometimes' })).toThrow('PLAYGROUND must be true or false (got "sometimes")');
  });

  it('lists every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({
        NODE_ENV: 'staging',
        PORT: '99999',
        DATABASE_URL: 'mysql://x',
        REDIS_URL: 'not a url',
        SESSION_TTL: 'forever',
        SEED_DEMO: 'maybe',
        LOG_LEVEL: 'loud',
        GRAPHQL_INTROSPECTION: 'perhaps',
        PUBLIC_URL: 'chat.example.org',
        WS_MAX_SOCKETS_PER_IP: '0',
        TRUST_PROXY: '-3',
        RATE_LIMIT_LOGIN_PER_IP: 'lots',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const names = (error as ConfigError).problems.map((p) => p.split(' ')[0]);
    expect(names).toEqual(['NODE_ENV', 'PORT', 'DATABASE_URL', 'REDIS_URL', 'SESSION_TTL', 'SEED_DEMO', 'LOG_LEVEL', 'GRAPHQL_INTROSPECTION', 'TRUST_PROXY', 'PUBLIC_URL', 'WS_MAX_SOCKETS_PER_IP', 'RATE_LIMIT_LOGIN_PER_IP']);
    expect((error as Error).message).toContain('PORT must be a whole number from 0 to 65535 (got "99999")');
  });
});

describe('environment', () => {
  it('reads an env file under the process environment, which wins', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dash-env-'));
    try {
      const file = path.join(dir, 'local.env');
      await writeFile(file, '# a comment\nPORT=5000\nLOG_LEVEL=debug\nPUBLIC_URL="https://chat.example.org"\n');
      const env = environment({ ENV_FILE: file, PORT: '6000' });
      expect(env).toMatchObject({ PORT: '6000', LOG_LEVEL: 'debug', PUBLIC_URL: 'https://chat.example.org' });
      expect(loadConfig(env)).toMatchObject({ port: 6000, logLevel: 'debug', publicUrl: 'https://chat.example.org' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads none with ENV_FILE empty, and refuses a named file that is missing', () => {
    expect(environment({ ENV_FILE: '', PORT: '1' })).toEqual({ ENV_FILE: '', PORT: '1' });
    expect(() => environment({ ENV_FILE: '/nonexistent/dash.env' })).toThrow(ConfigError);
  });
});

describe('parsers', () => {
  it.each([['90', 90], ['90s', 90], ['15m', 900], ['12h', 43200], ['30d', 2592000]])('parseDuration(%s) = %i', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });
  it.each(['', '0', '-5m', '1w', '1.5h', 'h'])('parseDuration rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
  it('parseRateLimit', () => {
    expect(parseRateLimit('10/15m')).toEqual({ points: 10, durationSeconds: 900 });
    expect(parseRateLimit('0/1m')).toBeUndefined();
    expect(parseRateLimit('10')).toBeUndefined();
  });
});

describe('findProjectRoot', () => {
  it('finds the folder of the workspaces from the sources and from the compiled build alike', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'dash-root-'));
    try {
      await mkdir(path.join(root, 'api'));
      await writeFile(path.join(root, 'package.json'), JSON.stringify({ workspaces: ['api'] }));
      await writeFile(path.join(root, 'api', 'package.json'), JSON.stringify({ name: '@dash/api' }));
      expect(findProjectRoot(path.join(root, 'api', 'src', 'config'))).toBe(root);
      expect(findProjectRoot(path.join(root, 'api', 'dist', 'api', 'src', 'config'))).toBe(root);
      expect(() => findProjectRoot(tmpdir())).toThrow(/workspaces/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('finds this checkout from its sources', () => {
    expect(repoRoot).toBe(path.resolve(import.meta.dirname, '../../..'));
  });
});

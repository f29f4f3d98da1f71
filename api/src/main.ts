/** Dash Messenger API: wiring only. */
import 'reflect-metadata';
import { ConfigError, loadConfig, type Config } from './config/env.js';
import { DataDirInUseError } from './core/db/data-lock.js';
import { createLogger, routeConsoleToLogger, type Logger } from './core/logger.js';
import { startApp } from './app/start.js';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger({ level: 'info', production: false }).fatal({ problems: error.problems }, 'invalid configuration');
    process.exit(1);
  }
}

/** Whatever escapes is logged as one JSON line, then the process ends as Node would end it. */
function logEscapes(logger: Logger): void {
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    process.exit(1);
  });
  // Node's own listener prints warnings to stderr as text: ours replaces it.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.warn({ err: warning }, 'process warning'));
}

const config = configOrExit();
const logger = createLogger({ level: config.logLevel, production: config.nodeEnv === 'production' });
routeConsoleToLogger(logger);
logEscapes(logger);
try {
  const app = await startApp(config, logger);
  logger.info(
    { port: app.port, database: app.db.kind, pubsub: config.redisUrl ? 'redis' : 'in-process' },
    `Dash Messenger is listening on http://localhost:${app.port}`,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  // Another process has the embedded database: a refusal, not a fault; its message says it all, without a stack.
  if (error instanceof DataDirInUseError) logger.fatal({ code: error.code, lockFile: error.lockFile, holder: error.holder }, `failed to start: ${error.message}`);
  else logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
}

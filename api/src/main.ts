/** Dash Messenger API: wiring only. */
import 'reflect-metadata';
import { loadConfigOrExit } from './config/env.js';
import { createLogger } from './core/logger.js';
import { startApp } from './app/start.js';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, production: config.nodeEnv === 'production' });
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
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
}

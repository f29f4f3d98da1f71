/** Start-up in order: database, migrations, the built-in sticker pack, demo data, server. */
import type { Config } from '../config/env.js';
import { openDatabase, type Database } from '../core/db/database.js';
import type { Logger } from '../core/logger.js';
import { createStorage } from '../core/storage/storage.js';
import { ClaimingStorage } from '../modules/media/media.contents.js';
import { installBuiltinPack } from '../modules/stickers/builtin-pack.js';
import { seedDemoData } from '../../../prisma/seed.js';
import { createServer, type AppServer } from './server.js';

export interface RunningApp {
  db: Database;
  server: AppServer;
  port: number;
  stop(): Promise<void>;
}

export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  const db = await openDatabase({ ...config, log: logger });
  try {
    const applied = await db.migrate();
    if (applied.length > 0) logger.info({ migrations: applied }, 'applied migrations');
    // Our drawings are stored before their rows are inserted: their keys are claimed first (media.contents.ts).
    const storage = new ClaimingStorage(createStorage(config), db.prisma);
    const began = performance.now();
    const stickers = await installBuiltinPack(db.prisma, storage);
    const ms = Math.round(performance.now() - began);
    const changed = stickers.changed.length + stickers.removed.length > 0;
    // Every start says whether it rendered: a start that renders with nothing changed is worth noticing.
    const outcome = changed ? 'brought up to date' : stickers.rendered > 0 ? 'rendered, nothing changed' : 'unchanged, nothing rendered';
    logger.info({ ...stickers, ms }, `built-in sticker pack: ${outcome}`);
    if (config.seedDemo === 'true' || (config.seedDemo === 'auto' && db.kind === 'embedded')) {
      if (await seedDemoData(db, storage)) logger.info('loaded the demo data (user "demo")');
    }
    const server = await createServer(config, db, logger);
    const port = await server.listen();
    return {
      db,
      server,
      port,
      async stop() {
        await db.closing();
        await server.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

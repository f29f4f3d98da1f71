/**
 * Database chores on the configured database (DATABASE_URL, or the embedded one in DATA_DIR):
 *   migrate          apply pending migrations and bring the built-in sticker pack up to date
 *   seed             load the demo data (once)
 *   reset [--force]  drop everything, migrate and seed again; asks first on a terminal,
 *                    and without one does nothing unless given --force
 * On the embedded database each holds its lock, so none runs while a server has it open.
 */
import 'reflect-metadata';
import { loadConfigOrExit } from '../config/env.js';
import { DataDirInUseError } from '../core/db/data-lock.js';
import { describeDatabase, openDatabase, type Database } from '../core/db/database.js';
import { createStorage } from '../core/storage/storage.js';
import { ClaimingStorage } from '../modules/media/media.contents.js';
import { installBuiltinPack } from '../modules/stickers/builtin-pack.js';
import { seedDemoData } from '../../../prisma/seed.js';
import { confirmReset } from './confirm-reset.js';

const [command, ...flags] = process.argv.slice(2);
const reset = command === 'reset';
if (!['migrate', 'seed', 'reset'].includes(command ?? '') || flags.some((flag) => !reset || flag !== '--force')) {
  console.error('usage: db.ts migrate | seed | reset [--force]');
  process.exit(2);
}

const config = loadConfigOrExit();
if (reset && !(await confirmReset(describeDatabase(config), { force: flags.includes('--force') }))) {
  process.exit(1);
}
const db = await open();
try {
  const applied = await db.migrate();
  console.log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
  // Our drawings are stored before their rows are inserted: their keys are claimed first (media.contents.ts).
  const storage = new ClaimingStorage(createStorage(config), db.prisma);
  const stickers = await installBuiltinPack(db.prisma, storage);
  console.log(
    stickers.changed.length + stickers.removed.length > 0
      ? `built-in stickers: ${stickers.changed.length} added or changed, ${stickers.removed.length} removed`
      : `built-in stickers are up to date${stickers.rendered === 0 ? ' (unchanged, not rendered)' : ''}`,
  );
  if (command !== 'migrate') {
    console.log((await seedDemoData(db, storage)) ? 'loaded the demo data' : 'demo data already present');
  }
} finally {
  await db.close();
}

async function open(): Promise<Database> {
  try {
    return await openDatabase({
      ...config,
      reset,
      log: { info: (_details, message) => console.log(message), warn: (_details, message) => console.warn(message) },
    });
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

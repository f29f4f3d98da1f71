/**
 * Database chores on the configured database (DATABASE_URL, or the embedded one in DATA_DIR):
 *   migrate  apply pending migrations
 *   seed     load the demo data (once)
 *   reset    drop everything, migrate and seed again
 */
import 'reflect-metadata';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadConfigOrExit } from '../config/env.js';
import { openDatabase } from '../core/db/database.js';
import { seedDemoData } from '../../../prisma/seed.js';

const command = process.argv[2];
if (!['migrate', 'seed', 'reset'].includes(command ?? '')) {
  console.error('usage: db.ts migrate|seed|reset');
  process.exit(2);
}

const config = loadConfigOrExit();
if (command === 'reset' && !config.databaseUrl) {
  await rm(path.join(config.dataDir, 'pglite'), { recursive: true, force: true });
}
const db = await openDatabase(config);
try {
  if (command === 'reset' && config.databaseUrl) {
    await db.prisma.$executeRawUnsafe('DROP SCHEMA public CASCADE');
    await db.prisma.$executeRawUnsafe('CREATE SCHEMA public');
  }
  const applied = await db.migrate();
  console.log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
  if (command !== 'migrate') {
    console.log((await seedDemoData(db)) ? 'loaded the demo data' : 'demo data already present');
  }
} finally {
  await db.close();
}

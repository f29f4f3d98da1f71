/**
 * The built-in pack's installation, on a database of its own (it changes what every list
 * holds): made at start-up, idempotent, and brought in line when a drawing or pack.json
 * changes, with the messages that carry a sticker still showing it. A start that finds the
 * pack as its fingerprint says renders nothing, as its start-up log line tells.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../app/start.js';
import { createLogger } from '../../core/logger.js';
import { createStorage } from '../../core/storage/storage.js';
import { createDatabase, dropDatabase } from '../../../test/databases.js';
import { testConfig } from '../../../test/server.js';
import { BUILTIN_DIR, installBuiltinPack, readManifest, type PackManifest } from './builtin-pack.js';

let url: string;
let dataDir: string;
let app: RunningApp;
/** The first start's log lines. */
let firstStart: Record<string, unknown>[];

/** Starts the server on the test's database and storage, keeping its log lines. */
async function start(): Promise<{ app: RunningApp; log: Record<string, unknown>[] }> {
  const log: Record<string, unknown>[] = [];
  const destination = { write: (line: string) => void log.push(JSON.parse(line) as Record<string, unknown>) };
  const started = await startApp(testConfig({ databaseUrl: url, dataDir, seedDemo: 'false' }), createLogger({ level: 'info', production: true, destination }));
  return { app: started, log };
}

const packLine = (log: Record<string, unknown>[]) => log.find((line) => String(line.msg).startsWith('built-in sticker pack'));

beforeAll(async () => {
  url = await createDatabase('stickers');
  dataDir = await mkdtemp(path.join(tmpdir(), 'dash-stickers-data-'));
  ({ app, log: firstStart } = await start());
});
afterAll(async () => {
  await app?.stop();
  await dropDatabase(url);
  await rm(dataDir, { recursive: true, force: true });
});

describe('the built-in pack', () => {
  it('is in place once the server has started: every sticker of pack.json in order, its images in the storage', async () => {
    const manifest = await readManifest();
    const pack = await app.db.prisma.stickerPack.findUniqueOrThrow({
      where: { slug: manifest.slug },
      include: { stickers: { orderBy: { position: 'asc' }, include: { media: true } } },
    });
    expect(pack).toMatchObject({ ownerId: null, title: manifest.title, deletedAt: null, publishedAt: expect.any(Date) });
    expect(pack.stickers.map((s) => [s.name, s.emoji])).toEqual(manifest.stickers.map((s) => [s.name, s.emoji]));
    const storage = createStorage(testConfig({ dataDir }));
    for (const { media } of pack.stickers) {
      expect(media).toMatchObject({ ownerId: null, purpose: 'STICKER', mime: 'image/webp', width: 512, height: 512 });
      expect(await storage.has(media.storageKey)).toBe(true);
    }
  });

  it('the first start rendered every drawing; a second start renders none, as its log line says', async () => {
    const { stickers } = await readManifest();
    expect(packLine(firstStart)).toMatchObject({ level: 30, rendered: stickers.length, msg: 'built-in sticker pack: brought up to date' });

    const second = await start();
    try {
      expect(packLine(second.log)).toMatchObject({ rendered: 0, changed: [], removed: [], msg: 'built-in sticker pack: unchanged, nothing rendered' });
    } finally {
      await second.app.stop();
    }
  });

  it('installed again (another start, another instance at the same time) changes and renders nothing', async () => {
    const storage = createStorage(testConfig({ dataDir }));
    const before = await app.db.prisma.media.count();
    const [one, two] = await Promise.all([installBuiltinPack(app.db.prisma, storage), installBuiltinPack(app.db.prisma, storage)]);
    expect([one.rendered, one.changed, one.removed, two.rendered, two.changed, two.removed]).toEqual([0, [], [], 0, [], []]);
    expect(await app.db.prisma.media.count()).toBe(before);
  });

  it('renders again when the fingerprint matches but an image is missing from the storage, and stores it back', async () => {
    const storage = createStorage(testConfig({ dataDir }));
    const { media } = await app.db.prisma.sticker.findFirstOrThrow({ where: { pack: { ownerId: null }, deletedAt: null }, include: { media: true } });
    await storage.delete(media.storageKey);

    const result = await installBuiltinPack(app.db.prisma, storage);
    expect(result).toMatchObject({ rendered: (await readManifest()).stickers.length, changed: [], removed: [] });
    expect(await storage.has(media.storageKey)).toBe(true);
    expect((await installBuiltinPack(app.db.prisma, storage)).rendered).toBe(0);
  });

  it('follows pack.json and the drawings: a changed drawing gets new media, a new one is added, a dropped one leaves the pack but keeps its row', async () => {
    const storage = createStorage(testConfig({ dataDir }));
    const manifest = await readManifest();
    const dir = await mkdtemp(path.join(tmpdir(), 'dash-builtin-'));
    try {
      await cp(BUILTIN_DIR, dir, { recursive: true });
      const [changed, dropped] = [manifest.stickers[0]!, manifest.stickers[1]!];
      const svg = await readFile(path.join(dir, `${changed.name}.svg`), 'utf8');
      await writeFile(path.join(dir, `${changed.name}.svg`), svg.replaceAll('#4d9cf0', '#f0a04d'));
      await cp(path.join(dir, 'cool.svg'), path.join(dir, 'cool-again.svg'));
      const next: PackManifest = { ...manifest, stickers: [...manifest.stickers.filter((s) => s !== dropped), { name: 'cool-again', emoji: '🆒' }] };
      await writeFile(path.join(dir, 'pack.json'), JSON.stringify(next));
      const { prisma } = app.db;
      const oldMedia = (await prisma.sticker.findFirstOrThrow({ where: { name: changed.name, pack: { slug: manifest.slug } } })).mediaId;

      const result = await installBuiltinPack(prisma, storage, dir);
      expect(result.rendered).toBe(next.stickers.length);
      expect(result.changed.sort()).toEqual(['cool-again', changed.name, ...next.stickers.slice(1, -1).map((s) => s.name)].sort());
      expect(result.removed).toEqual([dropped.name]);
      const stickers = await prisma.sticker.findMany({ where: { packId: result.packId }, orderBy: { position: 'asc' } });
      expect(stickers.filter((s) => !s.deletedAt).map((s) => s.name)).toEqual(next.stickers.map((s) => s.name));
      expect(stickers.find((s) => s.name === dropped.name)!.deletedAt).not.toBeNull();
      expect(stickers.find((s) => s.name === changed.name)!.mediaId).not.toBe(oldMedia);

      // And back to the project's drawings: rendered again (the fingerprint is the copy's), once.
      const back = await installBuiltinPack(prisma, storage);
      expect(back.rendered).toBe(manifest.stickers.length);
      expect(back.removed).toEqual(['cool-again']);
      expect((await installBuiltinPack(prisma, storage)).rendered).toBe(0);
      expect(await prisma.sticker.findFirstOrThrow({ where: { name: changed.name, packId: result.packId } })).toMatchObject({ mediaId: oldMedia, deletedAt: null });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

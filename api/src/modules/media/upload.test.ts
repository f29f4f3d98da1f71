/**
 * POST /media against a real server and PostgreSQL: what is refused (each with its code, and
 * nothing stored, neither a row nor a file), and what an accepted upload becomes.
 */
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { filesUnder, jpegWithGps, pngBomb, refusal, rotatedJpeg, transparentPng, upload } from '../../../test/media.js';
import { startTestServer, type TestServer } from '../../../test/server.js';

let server: TestServer;
let dataDir: string;
const mediaDir = () => path.join(dataDir, 'media');

beforeAll(async () => {
  // A data folder of its own: what is stored can be counted file by file.
  dataDir = await mkdtemp(path.join(tmpdir(), 'dash-media-'));
  server = await startTestServer({ dataDir }, { MEDIA_PHOTO_MAX_SIZE: '1MB', MEDIA_PHOTO_MAX_PIXELS: '4000000', MEDIA_STICKER_MAX_SIZE: '64KB' });
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs `refused` as a new user and shows it wrote nothing: no media row of theirs, no file (kept or in progress). */
async function expectNothingStored(refused: (user: TestUser) => Promise<void>): Promise<void> {
  const user = await registerUser(server);
  const before = await filesUnder(mediaDir());
  await refused(user);
  expect(await server.db.prisma.media.count({ where: { ownerId: user.id } })).toBe(0);
  expect(await filesUnder(mediaDir())).toEqual(before);
  expect(await filesUnder(path.join(mediaDir(), '.incoming'))).toEqual([]);
}

describe('uploads that are refused, each with its code and nothing stored', () => {
  it('a PDF behind a .jpg name and an image/jpeg type', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    await expectNothingStored(async (user) => {
      const result = await upload(server.url, user.token, 'photo', pdf, 'holiday.jpg', 'image/jpeg');
      expect(refusal(result)).toEqual({ status: 415, code: 'BAD_USER_INPUT', constraint: 'mediaType' });
      expect(result.body.errors![0]!.extensions.detected).toBe('application/pdf');
    });
  });

  it('an SVG with a script, as a photo, an avatar and a sticker', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>');
    await expectNothingStored(async (user) => {
      for (const purpose of ['photo', 'avatar', 'sticker']) {
        expect(refusal(await upload(server.url, user.token, purpose, svg, 'cat.svg', 'image/svg+xml')), purpose).toEqual({
          status: 415,
          code: 'BAD_USER_INPUT',
          constraint: 'mediaType',
        });
      }
    });
  });

  it('a polyglot: a real PNG that is also an HTML page with a script', async () => {
    const png = await transparentPng(16, 16);
    const polyglot = Buffer.concat([png, Buffer.from('<html><body><script>fetch("/graphql")</script></body></html>')]);
    // It decodes as an image: only its markup gives it away.
    expect((await sharp(polyglot).metadata()).format).toBe('png');
    await expectNothingStored(async (user) => {
      expect(refusal(await upload(server.url, user.token, 'photo', polyglot, 'innocent.png', 'image/png'))).toEqual({
        status: 422,
        code: 'BAD_USER_INPUT',
        constraint: 'noMarkup',
      });
    });
  });

  it('a truncated JPEG', async () => {
    const whole = await sharp({ create: { width: 400, height: 300, channels: 3, background: 'white' } })
      .composite([{ input: await sharp({ create: { width: 200, height: 150, channels: 3, background: 'blue' } }).png().toBuffer(), left: 30, top: 40 }])
      .jpeg()
      .toBuffer();
    const truncated = whole.subarray(0, Math.floor(whole.length / 2));
    await expectNothingStored(async (user) => {
      expect(refusal(await upload(server.url, user.token, 'photo', truncated, 'half.jpg', 'image/jpeg'))).toEqual({
        status: 422,
        code: 'BAD_USER_INPUT',
        constraint: 'decodable',
      });
    });
  });

  it('a decompression bomb: a tiny PNG that says it has 2.5 gigapixels', async () => {
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(2048);
    await expectNothingStored(async (user) => {
      const result = await upload(server.url, user.token, 'photo', bomb, 'bomb.png', 'image/png');
      expect(refusal(result)).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE', limit: 'photoPixels' });
      expect(result.body.errors![0]!.extensions.max).toBe(4_000_000);
    });
  });

  it('a body over the limit, streamed: refused as soon as the limit passes, not read to its end', async () => {
    await expectNothingStored(async (user) => {
      const { status, body, written } = await streamUpload(user.token, 64 * 1024 ** 2);
      expect(status).toBe(413);
      expect(body.errors[0]!.extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit: 'photoBytes', max: 1024 ** 2 });
      // The client stopped when the answer came: far less than the 64 MB it meant to send.
      expect(written).toBeLessThan(16 * 1024 ** 2);
    });
  });

  it('an upload the client abandons half-way: the part written so far is closed and removed, nothing kept open', async () => {
    const incoming = path.join(mediaDir(), '.incoming');
    /** Descriptors this process (the test server runs in it) holds on files under .incoming, deleted ones included. */
    const held = async () => {
      const fds = await readdir('/proc/self/fd');
      const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
      return targets.filter((target) => target.startsWith(incoming));
    };
    await expectNothingStored(async (user) => {
      const boundary = 'abandoned';
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
      const request = http.request(`${server.url}/media?purpose=file`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(50 * 1024 * 1024) },
      });
      request.on('error', () => {});
      request.write(head);
      // Half a megabyte, then the client goes away without a word.
      for (let i = 0; i < 8; i++) request.write(Buffer.alloc(64 * 1024, i));
      await vi.waitUntil(async () => (await filesUnder(incoming)).length === 1, { timeout: 30_000, interval: 20 });
      request.destroy();
      await vi.waitUntil(async () => (await filesUnder(incoming)).length === 0 && (await held()).length === 0, { timeout: 30_000, interval: 50 });
    });
  });

  it('a body declared larger than the limit: refused before any of it is read', async () => {
    await expectNothingStored(async (user) => {
      const { status, body, written } = await streamUpload(user.token, 64 * 1024 ** 2, { declare: true });
      expect(status).toBe(413);
      expect(body.errors[0]!.extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit: 'photoBytes' });
      expect(written).toBeLessThan(16 * 1024 ** 2);
    });
  });

  it('a sticker over its own limit', async () => {
    const noise = await sharp(Buffer.from(Array.from({ length: 300 * 300 * 3 }, (_, i) => (i * 7919) % 251)), { raw: { width: 300, height: 300, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(noise.length).toBeGreaterThan(64 * 1024);
    await expectNothingStored(async (user) => {
      expect(refusal(await upload(server.url, user.token, 'sticker', noise, 'big.png', 'image/png'))).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE', limit: 'stickerBytes' });
    });
  });

  it('no session, a bad token, no purpose, an unknown purpose, no file', async () => {
    const jpeg = await jpegWithGps();
    await expectNothingStored(async (user) => {
      expect(refusal(await upload(server.url, null, 'photo', jpeg, 'a.jpg'))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(refusal(await upload(server.url, 'not-a-session', 'photo', jpeg, 'a.jpg'))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(refusal(await upload(server.url, user.token, null, jpeg, 'a.jpg'))).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
      expect(refusal(await upload(server.url, user.token, 'video', jpeg, 'a.jpg'))).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
      const empty = await fetch(`${server.url}/media?purpose=photo`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: new FormData() });
      expect(empty.status).toBe(400);
      const notMultipart = await fetch(`${server.url}/media?purpose=photo`, { method: 'POST', headers: { authorization: `Bearer ${user.token}`, 'content-type': 'image/jpeg' }, body: jpeg });
      expect(refusal({ status: notMultipart.status, body: (await notMultipart.json()) as never })).toEqual({ status: 400, code: 'BAD_REQUEST' });
    });
  });
});

/**
 * Streams a multipart photo upload of `size` bytes with node:http, writing until the server
 * answers (or all is written); says how much was written by then.
 */
function streamUpload(token: string, size: number, options: { declare?: boolean } = {}): Promise<{ status: number; body: { errors: { extensions: Record<string, unknown> }[] }; written: number }> {
  const boundary = 'dash-test-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
  const block = Buffer.alloc(64 * 1024, 0xab);
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const request = http.request(`${server.url}/media?purpose=photo`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        ...(options.declare ? { 'content-length': String(head.length + size) } : {}),
      },
    });
    request.on('response', (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), written }));
    });
    // Once the server answered and closed, writes fail: that is the point.
    request.on('error', (error) => (answered ? undefined : reject(error)));
    request.write(head);
    const pump = () => {
      while (!answered && written < size) {
        written += block.length;
        if (!request.write(block)) return void request.once('drain', pump);
      }
      if (!answered) request.end();
    };
    pump();
  });
}

describe('what an accepted upload becomes', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await registerUser(server);
  });

  it('a photo: re-encoded without its EXIF and GPS, with a thumbnail and a placeholder', async () => {
    const original = await jpegWithGps(640, 480);
    expect((await sharp(original).metadata()).exif).toBeDefined();
    expect(original.toString('latin1')).toContain('Spy Camera Co');
    const result = await upload(server.url, user.token, 'photo', original, 'IMG_0001.JPG', 'image/jpeg');
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ purpose: 'PHOTO', mime: 'image/jpeg', width: 640, height: 480, name: null });
    expect(result.body.placeholder).toMatch(/^[A-Za-z0-9+/]+=*$/);

    const served = await fetch(`${server.url}${result.body.url}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await served.arrayBuffer());
    const metadata = await sharp(bytes).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(bytes.toString('latin1')).not.toContain('Spy Camera Co');
    expect(bytes.toString('latin1')).not.toContain('Tracker 3000');
    expect([metadata.width, metadata.height]).toEqual([640, 480]);

    const thumbnail = await fetch(`${server.url}${result.body.thumbnailUrl}`);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    const thumb = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 480, 360]);
  });

  it('a photo turned by its EXIF orientation is stored turned', async () => {
    const result = await upload(server.url, user.token, 'photo', await rotatedJpeg(), 'turned.jpg', 'image/jpeg');
    expect(result.body).toMatchObject({ width: 48, height: 64 });
  });

  it('the same content twice: two media, one stored file', async () => {
    const fresh = await registerUser(server);
    const photo = await sharp({ create: { width: 33, height: 21, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toBuffer();
    const first = await upload(server.url, fresh.token, 'photo', photo, 'a.png', 'image/png');
    const files = await filesUnder(mediaDir());
    const second = await upload(server.url, fresh.token, 'photo', photo, 'b.png', 'image/png');
    expect(second.body.id).not.toBe(first.body.id);
    expect(await filesUnder(mediaDir())).toEqual(files);
    const rows = await server.db.prisma.media.findMany({ where: { ownerId: fresh.id } });
    expect(new Set(rows.map((r) => r.storageKey)).size).toBe(1);
  });

  it('a file: kept as it is and served only as a download, with ranges', async () => {
    const page = Buffer.from('<!doctype html><html><script>alert(1)</script></html>\n'.repeat(100));
    const result = await upload(server.url, user.token, 'file', page, '../../etc/report\u202Egpj.html', 'text/html');
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ purpose: 'FILE', mime: 'application/octet-stream', bytes: page.length, name: 'reportgpj.html', thumbnailUrl: null });

    const whole = await fetch(`${server.url}${result.body.url}`);
    expect(whole.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''reportgpj.html");
    expect(whole.headers.get('x-content-type-options')).toBe('nosniff');
    expect(whole.headers.get('content-security-policy')).toContain('sandbox');
    expect(whole.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(page);
    const etag = whole.headers.get('etag')!;
    expect(whole.headers.get('cache-control')).toMatch(/^private, max-age=\d+, immutable$/);

    const part = await fetch(`${server.url}${result.body.url}`, { headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${page.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(page.subarray(10, 20));
    const beyond = await fetch(`${server.url}${result.body.url}`, { headers: { range: `bytes=${page.length}-` } });
    expect(beyond.status).toBe(416);
    const again = await fetch(`${server.url}${result.body.url}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('a sticker: 512 px WebP on its longest side, its transparency kept', async () => {
    const result = await upload(server.url, user.token, 'sticker', await transparentPng(1000, 500), 'wave.png', 'image/png');
    expect(result.body).toMatchObject({ purpose: 'STICKER', mime: 'image/webp', width: 512, height: 256 });
    const stored = await sharp(Buffer.from(await (await fetch(`${server.url}${result.body.url}`)).arrayBuffer())).metadata();
    expect([stored.format, stored.hasAlpha]).toEqual(['webp', true]);
  });

  it('an avatar: cropped square, 512 px and 128 px', async () => {
    const result = await upload(server.url, user.token, 'avatar', await jpegWithGps(300, 200), 'me.jpg', 'image/jpeg');
    expect(result.body).toMatchObject({ purpose: 'AVATAR', mime: 'image/webp', width: 512, height: 512 });
    const small = await sharp(Buffer.from(await (await fetch(`${server.url}${result.body.thumbnailUrl}`)).arrayBuffer())).metadata();
    expect([small.width, small.height]).toEqual([128, 128]);
  });
});

describe('the quota and the rate of uploads', () => {
  it('refuses an upload past the account\'s quota, and past its rate', async () => {
    const limited = await startTestServer({ dataDir }, { MEDIA_QUOTA_PER_ACCOUNT: '8KB', RATE_LIMIT_UPLOAD_PER_ACCOUNT: '3/1h' });
    try {
      const user = await registerUser(limited);
      const file = Buffer.alloc(5 * 1024, 1);
      expect((await upload(limited.url, user.token, 'file', file, 'one.bin')).status).toBe(201);
      expect(refusal(await upload(limited.url, user.token, 'file', file, 'two.bin'))).toMatchObject({ status: 413, code: 'LIMIT_EXCEEDED', limit: 'mediaQuota' });
      expect(await limited.db.prisma.media.count({ where: { ownerId: user.id } })).toBe(1);
      expect((await upload(limited.url, user.token, 'file', Buffer.alloc(1024, 2), 'three.bin')).status).toBe(201);
      const fourth = await upload(limited.url, user.token, 'file', Buffer.alloc(10, 3), 'four.bin');
      expect(refusal(fourth)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    } finally {
      await limited.close();
    }
  });
});

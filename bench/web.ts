/**
 * `npm run bench:web`: the web client as a person meets it, in Debian's Chromium through
 * Playwright, against the real API serving the built client (web/dist) on a throwaway
 * PostgreSQL database (issue #15). Not part of `npm test`: its numbers are reported, not asserted.
 *
 * - cold /login and /chats: first contentful paint and the JavaScript transferred (each in a
 *   fresh context, so nothing is cached), median of --runs;
 * - open a 300-message chat: from the loaded list (a fresh page each time, so the history is
 *   not cached), click → the newest message on screen, median of --runs;
 * - send → shown: one person presses Enter, the other's page shows the message (both pages'
 *   clocks are the same machine's), p50 and p95 over --messages messages, one at a time.
 *
 *   npm run build -w web && npm run bench:web                      # against DATABASE_URL's server, or the local one
 *   npm run bench:web -- --label=before --runs=5 --messages=100    # also writes bench/results/latest-web-before.json
 *   npm run bench:web -- --web-dist=/tmp/web-dist-before           # another build of the client (WEB_DIST)
 */
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { createThrowawayDatabase } from './lib/db.js';
import { startApiInstance, type ApiInstance } from './lib/servers.js';

// The functions run in the page see the browser's globals; bench's tsconfig has no DOM library,
// so the little of it they use is declared here.
interface PageElement {
  textContent: string | null;
  value: string;
  dataset: Record<string, string | undefined>;
  click(): void;
  closest(selector: string): PageElement | null;
  getBoundingClientRect(): { top: number; bottom: number };
}
declare const document: {
  body: unknown;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  addEventListener(type: 'keydown', listener: (event: { key: string; target: unknown }) => void, options: { capture: boolean }): void;
};
declare const window: { localStorage: { setItem(key: string, value: string): void }; benchSeen?: Map<string, number>; benchPressed?: Map<string, number> };
declare function requestAnimationFrame(callback: () => void): number;
declare class MutationObserver {
  constructor(callback: () => void);
  observe(target: unknown, options: { childList: boolean; subtree: boolean; characterData: boolean }): void;
}

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SESSION_KEY = 'dash.session';
const HISTORY = 300;

function option(name: string, fallback: string): string {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
}
const runs = Number(option('runs', '5'));
const messages = Number(option('messages', '100'));
const label = option('label', '');
/** Another build of the client to serve (say, a copy of the one before a change). @default web/dist */
const webDist = path.resolve(option('web-dist', path.join(REPO, 'web', 'dist')));
const adminUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
const median = (values: number[]) => quantile(values, 0.5);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

interface Person {
  id: string;
  username: string;
  token: string;
}

async function call<T>(api: ApiInstance, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function register(api: ApiInstance, prefix: string): Promise<Person> {
  const username = `${prefix}_${randomBytes(4).toString('hex')}`;
  const data = await call<{ register: { token: string; me: { id: string } } }>(
    api,
    'mutation R($input: RegisterInput!) { register(input: $input) { token me { id } } }',
    { input: { username, email: `${username}@bench.test`, password: `pw-${randomBytes(8).toString('hex')}` } },
  );
  return { id: data.register.me.id, username, token: data.register.token };
}

/**
 * A browser context. tsx (esbuild, keepNames) wraps the named functions inside the ones run in
 * the page with a `__name` helper that only exists in Node: the page gets a stand-in.
 */
async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, permissions: ['notifications'] });
  await context.addInitScript('window.__name = (f) => f;');
  return context;
}

async function signedInContext(browser: Browser, person: Person): Promise<BrowserContext> {
  const context = await newContext(browser);
  await context.addInitScript(([key, token]) => window.localStorage.setItem(key!, token!), [SESSION_KEY, person.token]);
  return context;
}

/** A cold load of `url`: first contentful paint and JavaScript bytes as received (headers and encoded bodies). */
async function coldLoad(context: BrowserContext, url: string, ready: (page: Page) => Promise<void>): Promise<{ fcpMs: number; jsKB: number; totalKB: number }> {
  const page = await context.newPage();
  const sizes: Promise<{ js: boolean; bytes: number }>[] = [];
  page.on('requestfinished', (request) => {
    const js = request.resourceType() === 'script' || /\.m?js(\?|$)/.test(new URL(request.url()).pathname);
    sizes.push(request.sizes().then((s) => ({ js, bytes: s.responseHeadersSize + s.responseBodySize })));
  });
  await page.goto(url);
  await ready(page);
  await page.waitForLoadState('networkidle');
  const fcpMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  const received = await Promise.all(sizes);
  await page.close();
  const kb = (items: { bytes: number }[]) => items.reduce((sum, item) => sum + item.bytes, 0) / 1024;
  return { fcpMs, jsKB: kb(received.filter((r) => r.js)), totalKB: kb(received) };
}

async function main(): Promise<void> {
  if (!existsSync(path.join(webDist, 'index.html'))) throw new Error(`${webDist}/index.html is missing: run \`npm run build -w web\` first`);
  const database = await createThrowawayDatabase(adminUrl);
  const api = await startApiInstance({
    DATABASE_URL: database.url,
    WEB_DIST: webDist,
    NODE_ENV: 'production',
    SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'info', // the start-up line ("is listening on", at info) gives the port
    ENV_FILE: '',
    RATE_LIMIT_REGISTER_PER_IP: '1000000/1s',
    RATE_LIMIT_LOGIN_PER_IP: '1000000/1s',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000000/1s',
    RATE_LIMIT_SEND_PER_ACCOUNT: '1000000/1s',
    RATE_LIMIT_SEND_PER_IP: '1000000/1s',
  });
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    });
    const alice = await register(api, 'alice');
    const bob = await register(api, 'bob');
    const { createDirectConversation: chat } = await call<{ createDirectConversation: { id: string } }>(
      api,
      'mutation D($userId: ID!) { createDirectConversation(userId: $userId) { id } }',
      { userId: bob.id },
      alice.token,
    );
    let lastSeq = 0;
    for (let i = 1; i <= HISTORY; i++) {
      const sender = i % 3 === 0 ? alice : bob;
      const sent = await call<{ sendMessage: { seq: number } }>(api, 'mutation S($input: SendMessageInput!) { sendMessage(input: $input) { seq } }', {
        input: { conversationId: chat.id, clientMsgId: `bench-${i}`, body: `history ${i}: ${'words and more words '.repeat(1 + (i % 5))}` },
      }, sender.token);
      lastSeq = sent.sendMessage.seq;
    }

    // Cold loads, each in a fresh context.
    const login: Awaited<ReturnType<typeof coldLoad>>[] = [];
    const chats: Awaited<ReturnType<typeof coldLoad>>[] = [];
    for (let i = 0; i < runs; i++) {
      const guest = await newContext(browser);
      login.push(await coldLoad(guest, `${api.url}/login`, (page) => page.getByLabel('User name or email').waitFor()));
      await guest.close();
      const signedIn = await signedInContext(browser, alice);
      chats.push(await coldLoad(signedIn, `${api.url}/chats`, (page) => page.locator(`[data-conversation-id="${chat.id}"]`).waitFor()));
      await signedIn.close();
    }

    // Opening the chat: a fresh page (nothing of its history cached), the list loaded, then a click.
    const opens: number[] = [];
    const context = await signedInContext(browser, alice);
    for (let i = 0; i < runs; i++) {
      const page = await context.newPage();
      await page.goto(`${api.url}/chats`);
      const item = page.locator(`[data-conversation-id="${chat.id}"]`);
      await item.waitFor();
      await page.waitForLoadState('networkidle');
      opens.push(
        await page.evaluate(
          ([id, last]) =>
            new Promise<number>((resolve) => {
              const start = performance.now();
              document.querySelector(`[data-conversation-id="${id}"]`)!.click();
              const check = () => {
                const row = document.querySelector(`[data-testid="message"][data-seq="${last}"]`);
                const list = row?.closest('.v-virtual-scroll');
                if (row && list) {
                  const box = list.getBoundingClientRect();
                  const rect = row.getBoundingClientRect();
                  if (rect.bottom <= box.bottom + 1 && rect.bottom > box.top) return resolve(performance.now() - start);
                }
                requestAnimationFrame(check);
              };
              requestAnimationFrame(check);
            }),
          [chat.id, String(lastSeq)] as const,
        ),
      );
      await page.close();
    }
    await context.close();

    // Send → shown, one message at a time.
    const senderContext = await signedInContext(browser, alice);
    const receiverContext = await signedInContext(browser, bob);
    const sender = await senderContext.newPage();
    const receiver = await receiverContext.newPage();
    for (const page of [sender, receiver]) {
      await page.goto(`${api.url}/chats/${chat.id}`);
      await page.getByTestId('composer-input').waitFor();
      await page.locator(`[data-testid="message"][data-seq="${lastSeq}"]`).waitFor();
    }
    await receiver.evaluate(() => {
      const seen = new Map<string, number>();
      window.benchSeen = seen;
      new MutationObserver(() => {
        const at = performance.timeOrigin + performance.now();
        for (const body of document.querySelectorAll('[data-testid="message-body"]')) {
          const text = body.textContent?.trim() ?? '';
          if (text.startsWith('ping ') && !seen.has(text)) seen.set(text, at);
        }
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await sender.evaluate(() => {
      const pressed = new Map<string, number>();
      window.benchPressed = pressed;
      document.addEventListener('keydown', (event) => {
        const input = event.target as PageElement;
        if (event.key === 'Enter' && input.dataset.testid === 'composer-input') pressed.set(input.value.trim(), performance.timeOrigin + performance.now());
      }, { capture: true });
    });
    const latencies: number[] = [];
    const composer = sender.getByTestId('composer-input');
    for (let i = 1; i <= messages; i++) {
      const text = `ping ${i}`;
      await composer.fill(text);
      await composer.press('Enter');
      await receiver.waitForFunction((t) => window.benchSeen!.has(t), text, { polling: 'raf' });
      const pressedAt = await sender.evaluate((t) => window.benchPressed!.get(t)!, text);
      const shownAt = await receiver.evaluate((t) => window.benchSeen!.get(t)!, text);
      latencies.push(shownAt - pressedAt);
    }
    await senderContext.close();
    await receiverContext.close();

    const summary = (items: { fcpMs: number; jsKB: number; totalKB: number }[]) => ({
      firstPaintMs: round(median(items.map((i) => i.fcpMs))),
      jsKB: round(median(items.map((i) => i.jsKB))),
      totalKB: round(median(items.map((i) => i.totalKB))),
    });
    const result = {
      at: new Date().toISOString(),
      commit: label,
      runs,
      login: summary(login),
      chats: summary(chats),
      openChat300: { medianMs: round(median(opens)), maxMs: round(Math.max(...opens)), samplesMs: opens.map((n) => round(n)) },
      sendToShown: { messages, p50Ms: round(quantile(latencies, 0.5)), p95Ms: round(quantile(latencies, 0.95)), maxMs: round(Math.max(...latencies)) },
    };
    console.log(JSON.stringify(result, null, 2));
    if (label) writeFileSync(path.join(REPO, 'bench', 'results', `latest-web-${label}.json`), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await browser?.close();
    await api.stop();
    await database.drop();
  }
}

await main();

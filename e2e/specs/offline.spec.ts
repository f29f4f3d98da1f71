import { expect, test } from '../fixtures/test';
import { createDirect, registerUser, sendMessageApi } from '../fixtures/api';
import {
  messageRow,
  networkSwitch,
  newPerson,
  openConversation,
  renderedRows,
  scrollHistoryUp,
  sendFromComposer,
  signIn,
  watchPage,
} from '../fixtures/ui';

const COUNT = 20;
const label = (n: number) => `while you were away #${String(n).padStart(2, '0')}`;

test('messages sent while one side is offline all arrive once, in order, when it comes back', async ({ browser }) => {
  // ~23 s idle: 20 sends through the UI, then the catch-up and the scroll back through it.
  test.setTimeout(120_000);
  const [ada, bo] = await Promise.all([registerUser('oada'), registerUser('obo')]);
  const conversationId = await createDirect(ada, bo);
  await sendMessageApi(bo, conversationId, 'Bo is around');

  const a = await newPerson(browser);
  const b = await newPerson(browser);
  const network = await networkSwitch(b.context);
  // Bo's page runs on a clock the test can move: the socket's wait before its next retry
  // (up to 15 s) is skipped rather than waited out.
  await b.page.clock.install();
  const watches = [watchPage(a.page, 'ada'), watchPage(b.page, 'bo')];
  await Promise.all([signIn(a.page, ada), signIn(b.page, bo)]);
  await Promise.all([openConversation(a.page, conversationId), openConversation(b.page, conversationId)]);
  await expect(messageRow(b.page, 'Bo is around')).toHaveCount(1);
  const state = b.page.getByTestId('connection-state');
  await expect(state).toHaveAttribute('data-state', 'connected');

  await test.step('Bo goes offline; the app says so', async () => {
    await network.cut();
    await expect(state).toHaveAttribute('data-state', 'offline');
  });

  await test.step(`Ada sends ${COUNT} messages meanwhile; none reaches Bo yet`, async () => {
    for (let n = 1; n <= COUNT; n++) await sendFromComposer(a.page, label(n));
    await expect(messageRow(b.page, label(1))).toHaveCount(0);
    await expect(messageRow(b.page, label(COUNT))).toHaveCount(0);
  });

  await test.step('Bo comes back online: all of them, once each, in order', async () => {
    await network.restore();
    // The socket retries with backoff, up to 15 s between tries (useConnection.ts): move the
    // page's clock past the pending wait. Again if need be: a try refused just before the
    // network came back schedules its next wait after the first jump.
    await expect(async () => {
      await b.page.clock.fastForward(15_000);
      await expect(state).toHaveAttribute('data-state', 'connected', { timeout: 5_000 });
    }).toPass({ timeout: 60_000 });
    await expect(messageRow(b.page, label(COUNT))).toBeVisible();

    // The newest rows as rendered now: each exactly once, in order, the last one last.
    const rows = await renderedRows(b.page);
    expect(rows.at(-1)!.body).toBe(label(COUNT));

    // Scroll back through the (virtualized) history until the first of them shows.
    const seen = await scrollHistoryUp(b.page, (all) => [...all.values()].some((row) => row.body === label(1)));
    const batch = [...seen.values()].filter((row) => row.body.startsWith('while you were away')).sort((x, y) => x.seq - y.seq);
    expect(batch.map((row) => row.body)).toEqual(Array.from({ length: COUNT }, (_, i) => label(i + 1)));
    expect(new Set(batch.map((row) => row.id)).size).toBe(COUNT);
    expect(batch.every((row) => row.own === 'false')).toBe(true);
  });

  await test.step('the chat goes on live both ways', async () => {
    await sendFromComposer(b.page, 'Back online, read them all');
    await expect(messageRow(a.page, 'Back online, read them all')).toHaveCount(1);
    await sendFromComposer(a.page, 'Welcome back');
    await expect(messageRow(b.page, 'Welcome back')).toHaveCount(1);
  });

  for (const [index, watch] of watches.entries()) expect(watch.errors, `errors in page ${index}`).toEqual([]);
  await Promise.all([a.context.close(), b.context.close()]);
});

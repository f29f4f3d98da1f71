import { fileURLToPath } from 'node:url';
import { expect, test } from '../fixtures/test';
import { demoPassword, meErrorCode } from '../fixtures/api';
import { renderedRows, watchPage } from '../fixtures/ui';

/** Seeded by the API with SEED_DEMO=true. */
const demo = { username: 'demo', password: demoPassword };
const screenshotPath = fileURLToPath(new URL('../test-results/logged-in.png', import.meta.url));
const loginScreenshotPath = fileURLToPath(new URL('../test-results/login.png', import.meta.url));

test('a visitor signs in, keeps session and conversation across a reload, and signs out', async ({ page }) => {
  const watch = watchPage(page, 'demo');

  const loginField = page.getByLabel('User name or email');
  const passwordField = page.getByLabel('Password', { exact: true });
  const signIn = page.getByRole('button', { name: 'Sign in' });
  const accountMenu = page.getByTestId('account-menu');
  const username = page.getByTestId('user-username');

  await test.step('without a session, the start page sends to the login page', async () => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login(\?.*)?$/);
    await expect(signIn).toBeVisible();
    // ready to type into at once, and typing elsewhere is never interrupted by it later
    await expect(loginField).toBeFocused();
    await page.screenshot({ path: loginScreenshotPath });
  });

  await test.step('a wrong password is refused with the server’s message', async () => {
    await loginField.fill(demo.username);
    await passwordField.fill('not-the-password');
    await signIn.click();
    await expect(page.getByTestId('login-error')).toHaveText('Wrong user name or password.');
    await expect(page).toHaveURL(/\/login(\?.*)?$/);
  });

  await test.step('the demo user signs in with Enter, lands on /chats and sees who is signed in', async () => {
    await passwordField.fill(demo.password);
    await passwordField.press('Enter');
    await expect(page).toHaveURL(/\/chats\/?$/);
    await expect(page.getByTestId('conversation-list')).toBeVisible();
    await accountMenu.click();
    await expect(username).toHaveText('@demo');
    // Escape closes the topmost overlay: when something else opened over the menu meanwhile (a notice),
    // that goes first and the menu with the next one, as for a person pressing it.
    await expect(async () => {
      await page.keyboard.press('Escape');
      await expect(username).toBeHidden({ timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    await test.info().attach('logged-in', { path: screenshotPath, contentType: 'image/png' });
  });

  let conversationId = '';
  let history: Awaited<ReturnType<typeof renderedRows>> = [];
  await test.step('the demo user opens a conversation with history', async () => {
    const item = page.getByTestId('conversation-item').filter({ has: page.getByTestId('conversation-preview') }).first();
    conversationId = (await item.getAttribute('data-conversation-id'))!;
    expect(conversationId).toBeTruthy();
    await item.click();
    await expect(page).toHaveURL(new RegExp(`/chats/${conversationId}$`));
    await expect(page.getByTestId('message').last()).toBeVisible();
    history = await renderedRows(page);
    expect(history.length).toBeGreaterThan(0);
  });

  await test.step('a reload keeps the session and the open conversation’s history', async () => {
    await page.reload();
    await expect(page).toHaveURL(new RegExp(`/chats/${conversationId}$`));
    await expect(page.getByTestId('conversation-view')).toBeVisible();
    const newest = history.at(-1)!;
    await expect(page.locator(`[data-testid="message"][data-message-id="${newest.id}"]`)).toBeVisible();
    const again = await renderedRows(page);
    // The same newest messages, in the same order (how many are rendered may differ).
    const tail = again.slice(-Math.min(again.length, history.length, 5)).map((row) => row.id);
    expect(history.slice(-tail.length).map((row) => row.id)).toEqual(tail);
    await accountMenu.click();
    await expect(username).toHaveText('@demo');
  });

  await test.step('logging out returns to the login page for good', async () => {
    const token = await page.evaluate(() => localStorage.getItem('dash.session'));
    expect(token).toBeTruthy();
    await page.getByTestId('logout-button').click();
    await expect(page).toHaveURL(/\/login(\?.*)?$/);
    expect(await page.evaluate(() => localStorage.getItem('dash.session'))).toBeNull();

    // The server forgot the session too: the old token no longer works.
    expect(await meErrorCode(token!)).toBe('UNAUTHENTICATED');

    await page.goto(`/chats/${conversationId}`);
    await expect(page).toHaveURL(/\/login(\?.*)?$/);
    await expect(signIn).toBeVisible();
    await expect(page.getByTestId('conversation-view')).toHaveCount(0);
  });

  expect(watch.errors, 'uncaught errors or dialogs in the page').toEqual([]);
});

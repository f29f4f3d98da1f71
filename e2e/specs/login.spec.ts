import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

/** Seeded by the API with SEED_DEMO=true. */
const demo = { username: 'demo', password: 'welcome-to-dash' };
const screenshotPath = fileURLToPath(new URL('../test-results/logged-in.png', import.meta.url));
const loginScreenshotPath = fileURLToPath(new URL('../test-results/login.png', import.meta.url));

test('a visitor signs in, stays signed in across a reload, and signs out', async ({ page }) => {
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));

  const loginField = page.getByLabel('User name or email');
  const passwordField = page.getByLabel('Password', { exact: true });
  const signIn = page.getByRole('button', { name: 'Sign in' });
  const username = page.getByTestId('user-username');

  await test.step('without a session, the start page sends to the login page', async () => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
    await expect(signIn).toBeVisible();
    await page.screenshot({ path: loginScreenshotPath });
  });

  await test.step('a wrong password is refused with the server’s message', async () => {
    await loginField.fill(demo.username);
    await passwordField.fill('not-the-password');
    await signIn.click();
    await expect(page.getByTestId('login-error')).toHaveText('Wrong user name or password.');
    await expect(page).toHaveURL(/\/login$/);
  });

  await test.step('the demo user signs in with Enter and sees who is signed in', async () => {
    await passwordField.fill(demo.password);
    await passwordField.press('Enter');
    await expect(page).toHaveURL(/\/$/);
    await expect(username).toHaveText('@demo');
    await expect(page.getByTestId('user-email')).toContainText('@');
    await page.screenshot({ path: screenshotPath, fullPage: true });
    await test.info().attach('logged-in', { path: screenshotPath, contentType: 'image/png' });
  });

  await test.step('a reload keeps the session', async () => {
    await page.reload();
    await expect(page).toHaveURL(/\/$/);
    await expect(username).toHaveText('@demo');
  });

  await test.step('logging out returns to the login page for good', async () => {
    const token = await page.evaluate(() => localStorage.getItem('dash.session'));
    expect(token).toBeTruthy();
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    expect(await page.evaluate(() => localStorage.getItem('dash.session'))).toBeNull();

    // The server forgot the session too: the old token no longer works.
    const response = await page.request.post('/graphql', {
      headers: { authorization: `Bearer ${token}` },
      data: { query: '{ me { id } }' },
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
    await expect(signIn).toBeVisible();
  });

  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

/**
 * Signing in, recovery and the mailed links, as a person does them: a forgotten password
 * (by email, by user name), the email address confirmed from its mail, and the second step
 * of signing in to an account with two-factor on. Mail goes over SMTP to the run's catcher.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/test';
import { gql, GraphQLRequestError, registerUser, type TestUser } from '../fixtures/api';
import { allMail, linkIn, waitForMail } from '../fixtures/mail';
import { enableTwoFactor } from '../fixtures/two-factor';
import { saveScreenshot, watchPage } from '../fixtures/ui';

const RESET_SUBJECT = /Reset your Dash password/;
const VERIFY_SUBJECT = /Confirm your email/;

/** What the API answers a sign-in with: `OK`, or the error code. */
async function apiLogin(login: string, password: string): Promise<string> {
  try {
    await gql(`mutation Login($input: LoginInput!) { login(input: $input) { token } }`, { input: { login, password } });
    return 'OK';
  } catch (error) {
    if (error instanceof GraphQLRequestError) return error.errors[0]?.extensions?.code ?? 'ERROR';
    throw error;
  }
}

/** A password the person chooses now. */
function newPassword(user: TestUser): string {
  return `${user.password}-renewed`;
}

async function expectSignedIn(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/chats\/?$/);
  await expect(page.getByTestId('conversation-list')).toBeVisible();
}

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('account-menu').click();
  await page.getByTestId('logout-button').click();
  await expect(page).toHaveURL(/\/login(\?.*)?$/);
}

/** Types a login and a password on the sign-in page and sends them. */
async function submitPassword(page: Page, login: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('User name or email').fill(login);
  const field = page.getByLabel('Password', { exact: true });
  await field.fill(password);
  await field.press('Enter');
}

/** Opens a reset link and sets `password` through the form. */
async function setNewPassword(page: Page, link: string, password: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Set a new password' })).toBeVisible();
  // The token is read, then gone from the address bar (and so from the history).
  await expect(page).toHaveURL(/\/reset-password$/);
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Repeat new password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
}

test('a forgotten password, by email: the link sets a new one and signs in; the old one is gone', async ({ page }) => {
  const watch = watchPage(page, 'by-email');
  const user = await registerUser('rmail');
  const password = newPassword(user);

  await test.step('“Forgot password?” carries the typed address to the email tab', async () => {
    await page.goto('/login');
    await page.getByLabel('User name or email').fill(user.email);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await expect(page).toHaveURL(/\/recover\?login=/);
    await expect(page.getByRole('tab', { name: 'I remember my email' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByLabel('Email', { exact: true })).toHaveValue(user.email);
    await saveScreenshot(page, 'recover');
  });

  let link = '';
  await test.step('asking for a link says to check the mail, and the mail comes', async () => {
    const since = allMail().length;
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await expect(page.getByRole('heading', { name: 'Check your mail' })).toBeVisible();
    await expect(page.getByTestId('recover-sent')).toContainText(`If an account has the address ${user.email}`);
    await saveScreenshot(page, 'recover-sent');
    link = linkIn(await waitForMail(user.email, { subject: RESET_SUBJECT, since }));
    expect(link).toMatch(/^\/reset-password#token=/);
  });

  await test.step('the link asks for the new password twice, with the registration’s rules', async () => {
    await page.goto(link);
    await expect(page.getByRole('heading', { name: 'Set a new password' })).toBeVisible();
    await expect(page).toHaveURL(/\/reset-password$/);
    await page.getByLabel('New password', { exact: true }).fill(password);
    await page.getByLabel('Repeat new password', { exact: true }).fill(`${password}x`);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(page.getByText('The passwords do not match')).toBeVisible();
    await saveScreenshot(page, 'reset-password');
    await page.getByLabel('Repeat new password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await expectSignedIn(page);
  });

  await test.step('the link works once', async () => {
    await setNewPassword(page, link, `${password}-again`);
    await expect(page.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
    await expect(page.getByTestId('link-outcome')).toHaveAttribute('data-outcome', 'invalid');
    await expect(page.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute('href', '/recover');
  });

  await test.step('signed out, the old password is refused and the new one signs in', async () => {
    await page.goto('/chats');
    await signOut(page);
    await submitPassword(page, user.username, user.password);
    await expect(page.getByTestId('login-error')).toHaveText('Wrong user name or password.');
    const field = page.getByLabel('Password', { exact: true });
    await field.fill(password);
    await field.press('Enter');
    await expectSignedIn(page);
  });

  expect(watch.errors, 'uncaught errors or dialogs in the page').toEqual([]);
});

test('a forgotten password, by user name: the same answer for anyone, and only the newest link works', async ({ page }) => {
  const watch = watchPage(page, 'by-username');
  const user = await registerUser('rname');
  const password = newPassword(user);
  const nobody = `${user.username}_x`;
  const sentText = (name: string) => `If an account has the user name ${name}, a link to set a new password is on its way`;

  await test.step('from the sign-in page with nothing typed, to the user name tab', async () => {
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await expect(page).toHaveURL(/\/recover$/);
    await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
    await page.getByRole('tab', { name: 'I remember my user name' }).click();
    await expect(page.getByRole('tab', { name: 'I remember my user name' })).toHaveAttribute('aria-selected', 'true');
  });

  await test.step('a name nobody has gets the very same answer', async () => {
    await page.getByLabel('User name', { exact: true }).fill(nobody);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await expect(page.getByTestId('recover-sent')).toContainText(sentText(nobody));
    await page.getByRole('button', { name: 'Use another user name' }).click();
    await expect(page.getByLabel('User name', { exact: true })).toHaveValue(nobody);
  });

  let first = '';
  let newest = '';
  await test.step('the person’s own name: a mail, then another one sent again', async () => {
    let since = allMail().length;
    await page.getByLabel('User name', { exact: true }).fill(user.username);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await expect(page.getByTestId('recover-sent')).toContainText(sentText(user.username));
    first = linkIn(await waitForMail(user.email, { subject: RESET_SUBJECT, since }));
    since = allMail().length;
    await page.getByRole('button', { name: 'Send again' }).click();
    await expect(page.getByTestId('recover-sent-again')).toBeVisible();
    newest = linkIn(await waitForMail(user.email, { subject: RESET_SUBJECT, since }));
    expect(newest).not.toBe(first);
  });

  await test.step('the first link was replaced by the newer one', async () => {
    await setNewPassword(page, first, password);
    await expect(page.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
    await expect(page.getByTestId('link-outcome')).toContainText('a newer link replaced it');
  });

  await test.step('the newest link sets the password and signs in', async () => {
    await setNewPassword(page, newest, password);
    await expectSignedIn(page);
    expect(await apiLogin(user.username, user.password)).toBe('UNAUTHENTICATED');
    expect(await apiLogin(user.username, password)).toBe('OK');
  });

  expect(watch.errors, 'uncaught errors or dialogs in the page').toEqual([]);
});

test('the address confirmed from its mail: the banner asks until then, and goes', async ({ context, page }) => {
  const watch = watchPage(page, 'verify');
  const user = await registerUser('rverify');
  const registrationLink = linkIn(await waitForMail(user.email, { subject: VERIFY_SUBJECT }));
  expect(registrationLink).toMatch(/^\/verify-email#token=/);
  const banner = page.getByTestId('email-banner');

  await test.step('signed in, the banner asks to confirm the masked address', async () => {
    await submitPassword(page, user.username, user.password);
    await expectSignedIn(page);
    await expect(banner).toContainText(`Confirm your email address ${user.email[0]}•••@e2e.test: we sent you a link.`);
    await expect(banner).not.toContainText(user.email);
    await saveScreenshot(page, 'email-banner');
  });

  let newest = '';
  await test.step('“Send again” mails a new link', async () => {
    const since = allMail().length;
    await banner.getByRole('button', { name: 'Send again' }).click();
    await expect(banner.getByTestId('email-banner-sent')).toHaveText('Sent');
    newest = linkIn(await waitForMail(user.email, { subject: VERIFY_SUBJECT, since }));
  });

  await test.step('“Later” puts it off for this tab, not for a new one', async () => {
    await banner.getByRole('button', { name: 'Later' }).click();
    await expect(banner).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId('conversation-list')).toBeVisible();
    await expect(banner).toHaveCount(0);
  });

  const tab = await context.newPage();
  const tabWatch = watchPage(tab, 'verify, second tab');
  const tabBanner = tab.getByTestId('email-banner');
  await test.step('in a new tab it asks again; the registration’s link was replaced', async () => {
    await tab.goto('/chats');
    await expect(tabBanner).toBeVisible();
    await tab.goto(registrationLink);
    await expect(tab.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
    await expect(tabBanner).toBeVisible();
  });

  await test.step('the newest link confirms the address, and the banner goes', async () => {
    await tab.goto(newest);
    await expect(tab.getByRole('heading', { name: 'Email address confirmed' })).toBeVisible();
    await expect(tab).toHaveURL(/\/verify-email$/);
    await expect(tabBanner).toHaveCount(0);
    await tab.getByRole('link', { name: 'Go to your chats' }).click();
    await expectSignedIn(tab);
    await tab.reload();
    await expect(tab.getByTestId('conversation-list')).toBeVisible();
    await expect(tabBanner).toHaveCount(0);
  });

  expect([...watch.errors, ...tabWatch.errors], 'uncaught errors or dialogs in the pages').toEqual([]);
});

test('two-factor sign-in: a code from the app, a recovery code, and a reset that asks for one', async ({ page }) => {
  const watch = watchPage(page, 'two-factor');
  const user = await registerUser('rtfa');
  const { app, recoveryCodes } = await enableTwoFactor(user);
  const codeStep = page.getByTestId('two-factor-step');
  const appCode = page.getByLabel('Code from your app');

  await test.step('the right password asks for the code; Back returns to the password', async () => {
    await submitPassword(page, user.username, user.password);
    await expect(codeStep).toBeVisible();
    await expect(page.getByTestId('login-error')).toHaveCount(0);
    await expect(appCode).toHaveAttribute('autocomplete', 'one-time-code');
    await expect(appCode).toHaveAttribute('inputmode', 'numeric');
    await page.getByRole('button', { name: 'Back' }).click();
    await expect(page.getByLabel('User name or email')).toHaveValue(user.username);
  });

  await test.step('a wrong code is refused in place; the right one signs in', async () => {
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(codeStep).toBeVisible();
    await appCode.fill(app.wrong());
    await expect(page.getByTestId('two-factor-code-error')).toContainText('That code is not valid');
    await saveScreenshot(page, 'two-factor-code');
    await expect(page).toHaveURL(/\/login/);
    await appCode.fill(app.next());
    await expectSignedIn(page);
  });

  await test.step('signed out and in again with a recovery code', async () => {
    await signOut(page);
    await submitPassword(page, user.username, user.password);
    await expect(codeStep).toBeVisible();
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    const field = page.getByLabel('Recovery code');
    await field.fill(recoveryCodes[0]!);
    await field.press('Enter');
    await expectSignedIn(page);
  });

  await test.step('a password reset sets the password, then asks for the second step', async () => {
    await signOut(page);
    const since = allMail().length;
    await page.goto(`/recover?login=${user.username}`);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await expect(page.getByRole('heading', { name: 'Check your mail' })).toBeVisible();
    const link = linkIn(await waitForMail(user.email, { subject: RESET_SUBJECT, since }));
    await setNewPassword(page, link, newPassword(user));
    await expect(page.getByRole('heading', { name: 'Your new password is set' })).toBeVisible();
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[1]!.toLowerCase());
    await page.getByRole('button', { name: 'Verify' }).click();
    await expectSignedIn(page);
  });

  expect(watch.errors, 'uncaught errors or dialogs in the page').toEqual([]);
});

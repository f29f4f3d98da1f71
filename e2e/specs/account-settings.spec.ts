import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import * as OTPAuth from 'otpauth';
import { expect, test } from '../fixtures/test';
import { createDirect, meErrorCode, registerUser, sendMessageApi, uniqueName } from '../fixtures/api';
import { allMail, linkIn, waitForMail } from '../fixtures/mail';
import { conversationItem, messageRow, newPerson, openConversation, saveScreenshot, signIn, watchPage } from '../fixtures/ui';

/** A TOTP time step, as the server and the authenticator app count them. */
const STEP_MS = 30_000;

/** Settings, with the account loaded. */
async function openSettings(page: Page): Promise<void> {
  await page.goto('/settings');
  await expect(page.getByTestId('settings-account')).toBeVisible();
}

/** Signs out from the account menu; ends at the login page. */
async function signOut(page: Page): Promise<void> {
  await page.getByTestId('account-menu').click();
  await page.getByTestId('logout-button').click();
  await expect(page).toHaveURL(/\/login(\?.*)?$/);
}

/** Fills the login form and sends it, without waiting for where it leads. */
async function submitLogin(page: Page, login: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('User name or email').fill(login);
  const field = page.getByLabel('Password', { exact: true });
  await field.fill(password);
  await field.press('Enter');
}

test('two-factor sign-in: turned on with a code from the app, asked for at sign-in, new recovery codes, turned off', async ({ browser }) => {
  // It waits out the setup code's time step (up to 30 s) on top of the usual budget.
  test.setTimeout(150_000);
  const amy = await registerUser('tfa');
  const { context, page } = await newPerson(browser);
  const watch = watchPage(page, amy.username);
  await signIn(page, amy);
  await openSettings(page);
  const card = page.getByTestId('settings-two-factor');
  await expect(card.getByTestId('twofactor-state')).toHaveAttribute('data-enabled', 'false');

  let totp!: OTPAuth.TOTP;
  let setupStep = 0;
  let codes: string[] = [];
  await test.step('turn it on: password, the key from the page, a code made from it, ten recovery codes', async () => {
    await card.getByTestId('twofactor-enable').click();
    const setup = page.getByTestId('twofactor-setup-dialog');
    await setup.getByLabel('Current password').fill(amy.password);
    await setup.getByTestId('twofactor-setup-dialog-submit').click();
    // The QR code is drawn into a canvas (no data: image under the CSP), the key is shown in groups of four.
    await expect(setup.getByTestId('twofactor-qr')).toBeVisible();
    const shownKey = (await setup.getByTestId('twofactor-secret').textContent()) ?? '';
    expect(shownKey.trim()).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(shownKey.replace(/\s+/g, '')) });
    await saveScreenshot(page, 'settings-two-factor-setup');

    await setup.getByLabel('Code from the app').fill('000000');
    await setup.getByTestId('twofactor-setup-dialog-submit').click();
    await expect(setup.getByText('That code is not valid, or was used already')).toBeVisible();

    const now = Date.now();
    setupStep = Math.floor(now / STEP_MS);
    await setup.getByLabel('Code from the app').fill(totp.generate({ timestamp: now }));
    await setup.getByTestId('twofactor-setup-dialog-submit').click();
    await expect(setup.getByTestId('recovery-code')).toHaveCount(10);
    codes = (await setup.getByTestId('recovery-code').allTextContents()).map((code) => code.trim());
    expect(new Set(codes).size).toBe(10);
    await saveScreenshot(page, 'settings-recovery-codes');
  });

  await test.step('the codes download as a text file, and only "I have saved them" closes them', async () => {
    const setup = page.getByTestId('twofactor-setup-dialog');
    const [download] = await Promise.all([page.waitForEvent('download'), setup.getByTestId('recovery-codes-download').click()]);
    expect(download.suggestedFilename()).toBe(`dash-recovery-codes-${amy.username}.txt`);
    const file = readFileSync(await download.path(), 'utf8');
    for (const code of codes) expect(file).toContain(code);
    await page.keyboard.press('Escape');
    await expect(setup.getByTestId('recovery-codes')).toBeVisible();
    await setup.getByTestId('recovery-codes-saved').click();
    await expect(setup).toBeHidden();
    await expect(card.getByTestId('twofactor-state')).toHaveAttribute('data-enabled', 'true');
    await expect(card.getByTestId('recovery-codes-left')).toHaveText('Recovery codes left: 10');
    await saveScreenshot(page, 'settings-account');
  });

  await test.step('signing in asks for a code after the password', async () => {
    await signOut(page);
    await submitLogin(page, amy.username, amy.password);
    const step = page.getByTestId('two-factor-step');
    await expect(step).toBeVisible();
    // A code is taken once per time step: the setup's step must be over first.
    await expect.poll(() => Math.floor(Date.now() / STEP_MS), { timeout: 2 * STEP_MS, message: 'the setup code’s time step is over' }).toBeGreaterThan(setupStep);
    // The one-time-code input of the code step; a full code sends it.
    await step.getByLabel('Code from your app').pressSequentially(totp.generate({ timestamp: Date.now() }));
    await expect(page).toHaveURL(/\/chats\/?$/);
    await expect(page.getByTestId('conversation-list')).toBeVisible();
  });

  await test.step('new recovery codes, proven with a recovery code: the old ones stop working', async () => {
    await openSettings(page);
    await card.getByTestId('twofactor-regenerate').click();
    const proof = page.getByTestId('twofactor-regenerate-dialog');
    await proof.getByLabel('Current password').fill(amy.password);
    await proof.getByLabel('Code from the app, or a recovery code').fill(codes[0]!);
    await proof.getByTestId('twofactor-regenerate-dialog-submit').click();
    await expect(proof.getByTestId('recovery-code')).toHaveCount(10);
    const fresh = (await proof.getByTestId('recovery-code').allTextContents()).map((code) => code.trim());
    expect(fresh.filter((code) => codes.includes(code))).toEqual([]);
    codes = fresh;
    await proof.getByTestId('recovery-codes-saved').click();
    await expect(proof).toBeHidden();
    await expect(card.getByTestId('recovery-codes-left')).toHaveText('Recovery codes left: 10');
  });

  await test.step('turn it off with the password and a recovery code', async () => {
    await card.getByTestId('twofactor-disable').click();
    const proof = page.getByTestId('twofactor-disable-dialog');
    await proof.getByLabel('Current password').fill(amy.password);
    await proof.getByLabel('Code from the app, or a recovery code').fill(codes[1]!);
    await proof.getByTestId('twofactor-disable-dialog-submit').click();
    await expect(proof).toBeHidden();
    await expect(card.getByTestId('twofactor-state')).toHaveAttribute('data-enabled', 'false');
    await expect(card.getByTestId('twofactor-enable')).toBeVisible();
  });

  await test.step('signing in asks for the password alone again', async () => {
    await signOut(page);
    await signIn(page, amy);
  });

  expect(watch.errors).toEqual([]);
  await context.close();
});

test('change password: the other device is signed out, the old password fails, the new one works', async ({ browser }) => {
  const amy = await registerUser('pwd');
  const newPassword = `${amy.password}-new`;
  const here = await newPerson(browser);
  const there = await newPerson(browser);
  const watch = watchPage(here.page, amy.username);
  await signIn(here.page, amy);
  await signIn(there.page, amy);
  await openSettings(here.page);

  await test.step('a wrong current password is refused on its field', async () => {
    await here.page.getByTestId('account-password-change').click();
    const form = here.page.getByTestId('password-dialog');
    await form.getByLabel('Current password').fill('not-my-password');
    await form.getByLabel('New password', { exact: true }).fill(newPassword);
    await form.getByLabel('Repeat new password').fill(newPassword);
    await form.getByTestId('password-dialog-submit').click();
    await expect(form.getByText('That is not your current password')).toBeVisible();
  });

  await test.step('the right one changes it; the other device lands on the login page', async () => {
    const form = here.page.getByTestId('password-dialog');
    await form.getByLabel('Current password').fill(amy.password);
    await form.getByTestId('password-dialog-submit').click();
    await expect(form).toBeHidden();
    await expect(here.page.getByTestId('account-done')).toContainText('Password changed');
    await expect(there.page).toHaveURL(/\/login(\?.*)?$/);
    // The session of the registration ended too; this device's stays.
    expect(await meErrorCode(amy.token)).toBe('UNAUTHENTICATED');
    await expect(here.page.getByTestId('settings-sessions').getByTestId('session-item')).toHaveCount(1);
  });

  await test.step('after signing out, the old password fails and the new one works', async () => {
    await signOut(here.page);
    await submitLogin(here.page, amy.username, amy.password);
    await expect(here.page.getByTestId('login-error')).toBeVisible();
    await signIn(here.page, { username: amy.username, password: newPassword });
  });

  expect(watch.errors).toEqual([]);
  await here.context.close();
  await there.context.close();
});

test('user name and email: other sessions signed out, a taken name refused, the new name signs in, a new address confirmed by its link', async ({ browser }) => {
  const [amy, taken] = await Promise.all([registerUser('acct'), registerUser('taken')]);
  const { context, page } = await newPerson(browser);
  const watch = watchPage(page, amy.username);
  await signIn(page, amy);
  await openSettings(page);

  await test.step('sign out all other sessions (the registration’s)', async () => {
    const sessions = page.getByTestId('settings-sessions');
    await expect(sessions.getByTestId('session-item')).toHaveCount(2);
    await sessions.getByTestId('sessions-sign-out-others').click();
    await page.getByTestId('sessions-sign-out-others-dialog').getByTestId('sessions-sign-out-others-dialog-submit').click();
    await expect(sessions.getByTestId('sessions-others-ended')).toHaveText('Other sessions signed out: 1');
    await expect(sessions.getByTestId('session-item')).toHaveCount(1);
    expect(await meErrorCode(amy.token)).toBe('UNAUTHENTICATED');
  });

  const newName = uniqueName('renamed');
  await test.step('a taken user name is refused on its field; a free one is taken everywhere', async () => {
    await page.getByTestId('account-username-change').click();
    const form = page.getByTestId('username-dialog');
    await form.getByLabel('New user name').fill(taken.username.toUpperCase());
    await form.getByTestId('username-dialog-submit').click();
    await expect(form.getByText('This user name is taken')).toBeVisible();
    await form.getByLabel('New user name').fill(newName);
    await form.getByTestId('username-dialog-submit').click();
    await expect(form).toBeHidden();
    await expect(page.getByTestId('account-username-value')).toHaveText(`@${newName}`);
    await page.getByTestId('account-menu').click();
    await expect(page.getByTestId('user-username')).toHaveText(`@${newName}`);
    await page.keyboard.press('Escape');
  });

  await test.step('the new name signs in', async () => {
    await signOut(page);
    await signIn(page, { username: newName, password: amy.password });
    await openSettings(page);
  });

  const newEmail = `${uniqueName('moved')}@e2e.test`;
  const address = page.getByTestId('account-email-address');
  await test.step('the email shows masked until revealed, not yet confirmed', async () => {
    await expect(address).toHaveText(`${amy.email[0]}•••@e2e.test`);
    await page.getByTestId('account-email-reveal').click();
    await expect(address).toHaveText(amy.email);
    await expect(page.getByTestId('account-email-state')).toHaveAttribute('data-verified', 'false');
  });

  await test.step('a new address: a link goes there, and it shows as waiting', async () => {
    const since = allMail().length;
    await page.getByTestId('account-email-change').click();
    const form = page.getByTestId('email-dialog');
    await form.getByLabel('New email').fill(newEmail);
    await form.getByLabel('Current password').fill(amy.password);
    await form.getByTestId('email-dialog-submit').click();
    await expect(form.getByTestId('email-dialog-sent')).toContainText(newEmail);
    await form.getByTestId('email-dialog-close').click();
    await expect(page.getByTestId('account-email-pending')).toContainText(newEmail);

    const mail = await waitForMail(newEmail, { since });
    await page.goto(linkIn(mail));
    await expect(page.getByTestId('link-outcome')).toHaveAttribute('data-outcome', 'confirmed');
  });

  await test.step('the new address is the account’s, confirmed', async () => {
    await openSettings(page);
    await page.getByTestId('account-email-reveal').click();
    await expect(address).toHaveText(newEmail);
    await expect(page.getByTestId('account-email-state')).toHaveAttribute('data-verified', 'true');
    await expect(page.getByTestId('account-email-pending')).toHaveCount(0);
  });

  expect(watch.errors).toEqual([]);
  await context.close();
});

test('delete account: the login page says so, and the other person sees the chat with "Deleted account"', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('doomed'), registerUser('stays')]);
  const chat = await createDirect(amy, bob);
  await sendMessageApi(amy, chat, 'hello from amy');
  await sendMessageApi(bob, chat, 'hi amy');

  const doomed = await newPerson(browser);
  const watch = watchPage(doomed.page, amy.username);
  await signIn(doomed.page, amy);
  await openSettings(doomed.page);

  await test.step('the dialog says what happens; a wrong password is refused', async () => {
    await doomed.page.getByTestId('account-delete').click();
    const form = doomed.page.getByTestId('delete-account-dialog');
    await expect(form).toContainText('Deleted account');
    await expect(form).toContainText('cannot be undone');
    await form.getByLabel('Current password').fill('not-my-password');
    await form.getByTestId('delete-account-dialog-submit').click();
    await expect(form.getByText('That is not your current password')).toBeVisible();
  });

  await test.step('with the password the account goes, and the login page says so', async () => {
    const form = doomed.page.getByTestId('delete-account-dialog');
    await form.getByLabel('Current password').fill(amy.password);
    await form.getByTestId('delete-account-dialog-submit').click();
    await expect(doomed.page).toHaveURL(/\/login$/);
    await expect(doomed.page.getByTestId('app-notice')).toContainText('Your account has been deleted.');
    expect(await meErrorCode(amy.token)).toBe('UNAUTHENTICATED');
  });

  await test.step('the other person sees the chat, with "Deleted account", and its messages', async () => {
    const stays = await newPerson(browser);
    const bobWatch = watchPage(stays.page, bob.username);
    await signIn(stays.page, bob);
    await expect(conversationItem(stays.page, chat).getByTestId('conversation-title')).toHaveText('Deleted account');
    await openConversation(stays.page, chat);
    await expect(stays.page.getByTestId('conversation-view').getByTestId('conversation-title')).toHaveText('Deleted account');
    // A direct chat names nobody on its bubbles: the header says who the other one was.
    const row = messageRow(stays.page, 'hello from amy');
    await expect(row).toHaveAttribute('data-own', 'false');
    await expect(row.getByTestId('message-sender')).toHaveCount(0);
    await expect(messageRow(stays.page, 'hi amy')).toHaveAttribute('data-own', 'true');
    expect(bobWatch.errors).toEqual([]);
    await stays.context.close();
  });

  expect(watch.errors).toEqual([]);
  await doomed.context.close();
});

import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/test';
import { baseURL, createDirect, gql, GraphQLRequestError, meErrorCode, registerUser, sendMessageApi, type TestUser } from '../fixtures/api';
import { chooseConversationMenu, composer, conversationItem, messageRow, newPerson, openConversation, signIn, watchPage } from '../fixtures/ui';

interface RecordedNotification {
  title: string;
  body: string;
}

declare global {
  interface Window {
    __notifications: RecordedNotification[];
    __pageHidden: boolean;
  }
}

/**
 * Before any app script: `Notification` becomes a recorder with the permission granted,
 * and the page's visibility follows `window.__pageHidden` (see `setHidden`).
 */
async function installNotificationRecorder(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__notifications = [];
    window.__pageHidden = false;
    class RecordingNotification {
      static permission = 'granted';
      static requestPermission(): Promise<string> {
        return Promise.resolve('granted');
      }
      onclick: (() => void) | null = null;
      constructor(title: string, options: { body?: string } = {}) {
        window.__notifications.push({ title, body: options.body ?? '' });
      }
      close(): void {}
    }
    Object.defineProperty(window, 'Notification', { value: RecordingNotification, configurable: true, writable: true });
    Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => window.__pageHidden });
    Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (window.__pageHidden ? 'hidden' : 'visible') });
  });
}

/** Makes the tab look hidden (or visible again), as switching tabs would. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((value) => {
    window.__pageHidden = value;
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

function recorded(page: Page): Promise<RecordedNotification[]> {
  return page.evaluate(() => window.__notifications);
}

/** Signs `user` in through the API with a browser's user agent: a second session that shows as "Firefox on Windows". */
async function loginFromFirefox(user: TestUser): Promise<string> {
  const response = await fetch(`${baseURL}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
    },
    body: JSON.stringify({
      query: `mutation Login($input: LoginInput!) { login(input: $input) { token } }`,
      variables: { input: { login: user.username, password: user.password } },
    }),
  });
  const body = (await response.json()) as { data?: { login: { token: string } }; errors?: { message: string }[] };
  if (!body.data) throw new Error(`login failed: ${JSON.stringify(body.errors)}`);
  return body.data.login.token;
}

test('desktop notifications while the tab is hidden: one per message, none from a muted chat; unread count in the title', async ({ browser }) => {
  const [amy, bob, cat] = await Promise.all([registerUser('namy'), registerUser('nbob'), registerUser('ncat')]);
  const [bobChat, catChat] = await Promise.all([createDirect(bob, amy), createDirect(cat, amy)]);
  const { context, page } = await newPerson(browser);
  await context.grantPermissions(['notifications'], { origin: baseURL });
  const watch = watchPage(page, amy.username);
  await installNotificationRecorder(page);
  await signIn(page, amy);
  // Permission already granted: the app does not offer notifications.
  await expect(page.getByTestId('notifications-banner')).toHaveCount(0);
  await expect(page).toHaveTitle('Dash');

  await test.step('mute the chat with Cat from its menu', async () => {
    await openConversation(page, catChat);
    await chooseConversationMenu(page, 'menu-mute');
    await expect(page.getByTestId('conversation-view').getByTestId('conversation-muted')).toBeVisible();
  });

  await setHidden(page, true);

  await test.step('a message in the muted chat raises no notification', async () => {
    await sendMessageApi(cat, catChat, 'Cat: muted news');
    await expect(messageRow(page, 'Cat: muted news')).toHaveCount(1);
  });

  await test.step('a message from Bob raises one notification titled with the chat, and "(1) Dash"', async () => {
    await sendMessageApi(bob, bobChat, 'Bob: are you there?');
    await expect.poll(() => recorded(page)).toEqual([{ title: bob.username, body: 'Bob: are you there?' }]);
    await expect(page).toHaveTitle('(1) Dash');
    await expect(conversationItem(page, bobChat)).toBeVisible();
  });

  expect(await recorded(page), 'exactly one notification (none for the muted chat)').toHaveLength(1);
  expect(watch.errors).toEqual([]);
  await context.close();
});

test('the emoji picker inserts at the cursor and the message shows it', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('eamy'), registerUser('ebob')]);
  const chat = await createDirect(amy, bob);
  const { context, page } = await newPerson(browser);
  const watch = watchPage(page, amy.username);
  await signIn(page, amy);
  await openConversation(page, chat);

  const input = composer(page);
  await input.fill('Hello world');
  await input.press('End');
  for (let i = 0; i < ' world'.length; i++) await input.press('ArrowLeft');
  await page.getByTestId('emoji-button').click();
  const picker = page.getByTestId('emoji-picker');
  await expect(picker).toBeVisible();
  await picker.getByRole('button', { name: '😀', exact: true }).click();
  await expect(picker).toBeHidden();
  await expect(input).toHaveValue('Hello😀 world');
  await expect(input).toBeFocused();
  await input.press('Enter');
  await expect(input).toHaveValue('');
  const row = messageRow(page, 'Hello😀 world');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-own', 'true');
  await expect(row).toHaveAttribute('data-status', /^(sent|read)$/);

  expect(watch.errors).toEqual([]);
  await context.close();
});

test('keyboard: Enter opens the New chat dialog, Escape closes it and focus returns to the button', async ({ browser }) => {
  const amy = await registerUser('kamy');
  const { context, page } = await newPerson(browser);
  const watch = watchPage(page, amy.username);
  await signIn(page, amy);

  const button = page.getByTestId('new-chat');
  await button.focus();
  await expect(button).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('New chat');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(button).toBeFocused();

  expect(watch.errors).toEqual([]);
  await context.close();
});

test('settings: contacts only refuses a stranger, another session is signed out, a blocked user is unblocked', async ({ browser }) => {
  const [amy, stranger, pest] = await Promise.all([registerUser('samy'), registerUser('sstranger'), registerUser('spest')]);
  await gql(`mutation Block($userId: ID!) { blockUser(userId: $userId) { id } }`, { userId: pest.id }, amy.token);
  const otherToken = await loginFromFirefox(amy);
  expect(await meErrorCode(otherToken)).toBeUndefined();

  const { context, page } = await newPerson(browser);
  const watch = watchPage(page, amy.username);
  await signIn(page, amy);
  await page.getByTestId('nav-settings').click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();

  await test.step('"Who can message me" → My contacts: a stranger cannot start a chat', async () => {
    const field = page.getByTestId('settings-privacy').getByTestId('privacy-whoCanMessage');
    await expect(field).toContainText('Who can message me');
    await field.click();
    await page.getByRole('option', { name: 'My contacts', exact: true }).click();
    await expect(field).toContainText('My contacts');
    // Saved on the server (the "Saved" note shows for 2 s only: a busy machine's polls may miss it).
    const whoCanMessage = async () => (await gql<{ me: { whoCanMessage: string } }>('{ me { whoCanMessage } }', {}, amy.token)).me.whoCanMessage;
    await expect.poll(whoCanMessage).toBe('CONTACTS');
    const refused = await createDirect(stranger, amy).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(GraphQLRequestError);
    expect((refused as GraphQLRequestError).errors[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  await test.step('sign out the other session (Firefox on Windows): its token stops working', async () => {
    const sessions = page.getByTestId('settings-sessions');
    const firefox = sessions.getByTestId('session-item').filter({ hasText: 'Firefox on Windows' });
    await expect(firefox).toHaveCount(1);
    // The list is read again after a sign-out; that answer is held back here, and the device
    // must leave the list without it (the review saw it stay listed ~1.5 s, waiting for it).
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/graphql', async (route) => {
      if ((route.request().postDataJSON() as { operationName?: string } | null)?.operationName === 'Sessions') await held;
      await route.fallback();
    });
    await firefox.getByRole('button', { name: 'Sign out of Firefox on Windows' }).click();
    await expect(firefox).toHaveCount(0);
    release();
    await page.unroute('**/graphql');
    await expect(sessions.locator('[data-testid="session-item"][data-current="true"]')).toHaveCount(1);
    expect(await meErrorCode(otherToken)).toBe('UNAUTHENTICATED');
    expect(await meErrorCode(amy.token), 'the other sessions keep working').toBeUndefined();
  });

  await test.step('unblock the blocked user; the list empties', async () => {
    const blocked = page.getByTestId('settings-blocked');
    await expect(blocked.getByTestId('blocked-user')).toHaveCount(1);
    await expect(blocked.getByTestId('blocked-user')).toContainText(`@${pest.username}`);
    await blocked.getByRole('button', { name: `Unblock ${pest.username}` }).click();
    await expect(blocked.getByTestId('blocked-user')).toHaveCount(0);
    await expect(blocked).toContainText('You have not blocked anyone.');
  });

  expect(watch.errors).toEqual([]);
  await context.close();
});

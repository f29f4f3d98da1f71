/**
 * Issue #15: the web client behaves like the messengers people already know (Telegram Web,
 * Element). One journey per numbered finding of the review; the numbers are the issue's.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, test } from '../fixtures/test';
import { createDirect, gql, registerUser, sendMessageApi, type TestUser } from '../fixtures/api';
import {
  chooseLanguage,
  chooseMessageAction,
  composer,
  conversationItem,
  messageRow,
  networkSwitch,
  newPerson,
  openConversation,
  sendFromComposer,
  signIn,
  textField,
  watchPage,
} from '../fixtures/ui';

/** A signed-in page for `user`, watched for page errors and dialogs. */
async function personFor(browser: Browser, user: TestUser, options: Parameters<Browser['newContext']>[0] = {}) {
  const person = await newPerson(browser, options);
  const watch = watchPage(person.page, user.username);
  await signIn(person.page, user);
  return {
    ...person,
    async close() {
      expect(watch.errors, `errors in ${user.username}’s page`).toEqual([]);
      await person.context.close();
    },
  };
}

/** Scrolls the history's box to its top or bottom, as the reader's wheel would. */
async function scrollHistoryTo(page: Page, where: 'top' | 'bottom'): Promise<void> {
  await page.getByTestId('message').first().evaluate((row, to) => {
    let box: HTMLElement | null = row.parentElement;
    while (box && !(box.scrollHeight > box.clientHeight && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) box = box.parentElement;
    if (!box) throw new Error('no scrollable box around the history');
    box.dispatchEvent(new WheelEvent('wheel', { deltaY: to === 'top' ? -1 : 1, bubbles: true }));
    box.scrollTo({ top: to === 'top' ? 0 : box.scrollHeight, behavior: 'instant' });
  }, where);
}

/**
 * Holds the answers to `page`'s requests for a page of `conversationId`'s history: each is
 * asked of the server at once (computed now) and reaches the page only after `release()`.
 * `asked` resolves once the server has answered the first.
 */
async function holdHistoryPages(page: Page, conversationId: string): Promise<{ asked: Promise<void>; release(): void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let answered!: () => void;
  const asked = new Promise<void>((resolve) => (answered = resolve));
  await page.route('**/graphql', async (route) => {
    const body = route.request().postDataJSON() as { operationName?: string; variables?: { conversationId?: string } } | null;
    if (body?.operationName !== 'Messages' || body.variables?.conversationId !== conversationId) return route.fallback();
    const response = await route.fetch();
    answered();
    await released;
    await route.fulfill({ response });
  });
  return { asked, release };
}

/** A group made through the API by `owner` with `members`; its id. */
async function createGroupApi(owner: TestUser, title: string, members: TestUser[]): Promise<string> {
  const data = await gql<{ createGroup: { id: string } }>(
    'mutation G($input: CreateGroupInput!) { createGroup(input: $input) { id } }',
    { input: { title, memberIds: members.map((m) => m.id) } },
    owner.token,
  );
  return data.createGroup.id;
}

test('(1, 12) a chat with a tall message opens at its newest; scrolled up, a new message raises "1 new"', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('tamy'), registerUser('tbob')]);
  const chat = await createDirect(bob, amy);
  await sendMessageApi(bob, chat, Array.from({ length: 800 }, (_, i) => `w${i % 10}`).join(' ').slice(0, 3990));
  for (let n = 1; n <= 3; n++) await sendMessageApi(bob, chat, `short ${n}`);
  const a = await personFor(browser, amy);

  await test.step('opening: the newest message is on screen, under the header, with no jump button', async () => {
    await openConversation(a.page, chat);
    await expect(messageRow(a.page, 'short 3')).toBeInViewport();
    await expect(a.page.getByTestId('jump-bottom')).toBeHidden();
    const header = await a.page.getByTestId('conversation-header').boundingBox();
    const title = await a.page.getByTestId('conversation-header').getByTestId('conversation-title').boundingBox();
    expect(title!.y + title!.height).toBeLessThanOrEqual(header!.y + header!.height);
  });

  await test.step('scrolled to the top, a new message does not move the view: the button counts it', async () => {
    await scrollHistoryTo(a.page, 'top');
    const jump = a.page.getByTestId('jump-bottom');
    await expect(jump).toBeVisible();
    await expect(jump).toHaveAttribute('data-new', '0');
    await sendMessageApi(bob, chat, 'arrives while scrolled up');
    await expect(jump).toHaveAttribute('data-new', '1');
    await expect(jump).toContainText('1 new');
    await expect(messageRow(a.page, 'arrives while scrolled up')).not.toBeInViewport();
    await jump.click();
    await expect(messageRow(a.page, 'arrives while scrolled up')).toBeInViewport();
    await expect(jump).toBeHidden();
  });

  await test.step('reopened after a reload: still at the newest', async () => {
    await a.page.reload();
    await expect(messageRow(a.page, 'arrives while scrolled up')).toBeInViewport();
  });
  await a.close();
});

test('(2, 3) offline: the header says so, a send stays pending (never failed) and goes out when back', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('pamy'), registerUser('pbob')]);
  const chat = await createDirect(bob, amy);
  await sendMessageApi(bob, chat, 'Bob is here');
  const person = await newPerson(browser);
  const network = await networkSwitch(person.context);
  const watch = watchPage(person.page, amy.username);
  const page = person.page;
  await signIn(page, amy);
  await openConversation(page, chat);
  await expect(messageRow(page, 'Bob is here')).toHaveCount(1);
  // Every status a row of the history takes, in order, whatever the test looks at.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { statuses: string[] }).statuses = seen;
    new MutationObserver((records) => {
      for (const record of records) {
        const status = (record.target as HTMLElement).getAttribute('data-status');
        if (status) seen.push(status);
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-status'] });
  });

  await test.step('(3) the network goes: the header says "Waiting for network…" instead of stale presence', async () => {
    await network.cut();
    await expect(page.getByTestId('conversation-connection')).toHaveText('Waiting for network…');
    await expect(page.getByTestId('conversation-subtitle')).toHaveCount(0);
  });

  const text = 'written on the train';
  await test.step('(2) a send meanwhile shows as pending', async () => {
    await composer(page).fill(text);
    await composer(page).press('Enter');
    const row = messageRow(page, text);
    await expect(row).toHaveAttribute('data-status', 'pending');
    await expect(row.getByTestId('retry-send')).toHaveCount(0);
  });

  await test.step('back online: it goes out by itself, and was never shown as failed', async () => {
    await network.restore();
    await expect(page.getByTestId('conversation-connection')).toHaveCount(0);
    await expect(messageRow(page, text)).toHaveAttribute('data-status', /^(sent|read)$/);
    const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
    expect(statuses).not.toContain('failed');
    const stored = await gql<{ messages: { messages: { body: string }[] } }>(
      'query M($id: ID!) { messages(conversationId: $id, limit: 5) { messages { body } } }',
      { id: chat },
      bob.token,
    );
    expect(stored.messages.messages.filter((m) => m.body === text)).toHaveLength(1);
  });

  expect(watch.errors).toEqual([]);
  await person.context.close();
});

test('(4) deleting a message asks first; Cancel keeps it', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('qamy'), registerUser('qbob')]);
  const chat = await createDirect(bob, amy);
  const a = await personFor(browser, amy);
  await openConversation(a.page, chat);
  const sent = await sendFromComposer(a.page, 'maybe delete me');
  const own = a.page.locator(`[data-testid="message"][data-message-id="${await sent.getAttribute('data-message-id')}"]`);

  await chooseMessageAction(a.page, own, 'action-delete');
  const dialog = a.page.getByTestId('confirm-dialog');
  await expect(dialog).toContainText('Delete this message?');
  await dialog.getByTestId('confirm-cancel').click();
  await expect(dialog).toBeHidden();
  await expect(own.getByTestId('message-body')).toHaveText('maybe delete me');

  await chooseMessageAction(a.page, own, 'action-delete');
  await a.page.getByTestId('delete-message-for-everyone').click();
  await expect(own.getByTestId('message-deleted')).toBeVisible();
  await a.close();
});

test('(4) delete for me: only that on someone else\'s message, both kinds on one\'s own; gone at once here and from my other device, live and after it reconnects; still there for the other person', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('hamy'), registerUser('hbob')]);
  const chat = await createDirect(bob, amy);
  await sendMessageApi(bob, chat, 'Bob: hello');
  await sendMessageApi(bob, chat, 'Bob: my bank details, oops');
  // Amy on her laptop (a) and on a second device (phone) whose network drops later; Bob on his.
  const a = await personFor(browser, amy);
  const phone = await newPerson(browser);
  const phoneNetwork = await networkSwitch(phone.context);
  const phoneWatch = watchPage(phone.page, `${amy.username} (phone)`);
  await signIn(phone.page, amy);
  const b = await personFor(browser, bob);
  for (const page of [a.page, phone.page, b.page]) {
    await openConversation(page, chat);
    await expect(messageRow(page, 'Bob: my bank details, oops')).toHaveCount(1);
  }
  const dialog = a.page.getByTestId('confirm-dialog');

  await test.step('someone else\'s message: only "Delete for me"; it goes at once, and from my phone live', async () => {
    await chooseMessageAction(a.page, messageRow(a.page, 'Bob: my bank details, oops'), 'action-delete');
    await expect(dialog).toContainText('removed from your devices only');
    await expect(dialog.getByTestId('delete-message-for-everyone')).toHaveCount(0);
    await dialog.getByTestId('delete-message-for-me').click();
    await expect(dialog).toBeHidden();
    await expect(messageRow(a.page, 'Bob: my bank details, oops')).toHaveCount(0);
    await expect(messageRow(phone.page, 'Bob: my bank details, oops')).toHaveCount(0);
    await expect(conversationItem(phone.page, chat).getByTestId('conversation-preview')).toContainText('Bob: hello');
    // Bob deleted nothing.
    await expect(messageRow(b.page, 'Bob: my bank details, oops')).toHaveCount(1);
  });

  const ownText = 'Amy: sent to the wrong chat';
  await test.step('my own message: both kinds offered; "for me" while my phone is offline', async () => {
    await sendFromComposer(a.page, ownText);
    await expect(messageRow(phone.page, ownText)).toHaveCount(1);
    await expect(messageRow(b.page, ownText)).toHaveCount(1);
    await phoneNetwork.cut();
    await expect(phone.page.getByTestId('conversation-connection')).toBeVisible();
    await chooseMessageAction(a.page, messageRow(a.page, ownText), 'action-delete');
    await expect(dialog.getByTestId('delete-message-for-everyone')).toBeVisible();
    await dialog.getByTestId('delete-message-for-me').click();
    await expect(messageRow(a.page, ownText)).toHaveCount(0);
    // The list's preview falls back to the message before it.
    await expect(conversationItem(a.page, chat).getByTestId('conversation-preview')).toContainText('Bob: hello');
    // For Bob it is neither gone nor deleted.
    await expect(messageRow(b.page, ownText)).toHaveCount(1);
    await expect(messageRow(phone.page, ownText)).toHaveCount(1);
  });

  await test.step('the phone reconnects: it learns it, though nothing new was said', async () => {
    await phoneNetwork.restore();
    await expect(phone.page.getByTestId('conversation-connection')).toHaveCount(0);
    await expect(messageRow(phone.page, ownText)).toHaveCount(0);
    await expect(conversationItem(phone.page, chat).getByTestId('conversation-preview')).toContainText('Bob: hello');
  });

  await test.step('Bob replies to it: to Amy the reply quotes a message unavailable, to Bob the message', async () => {
    const theirs = await gql<{ messages: { messages: { id: string; body: string }[] } }>(
      'query M($id: ID!) { messages(conversationId: $id, limit: 10) { messages { id body } } }', { id: chat }, bob.token);
    const target = theirs.messages.messages.find((m) => m.body === ownText)!;
    await gql(
      'mutation S($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
      { input: { conversationId: chat, clientMsgId: `e2e-reply-${target.id}`, body: 'Bob: what wrong chat?', replyToId: target.id } },
      bob.token,
    );
    for (const page of [a.page, phone.page]) {
      const reply = messageRow(page, 'Bob: what wrong chat?');
      await expect(reply.getByTestId('reply-quote-unavailable')).toHaveText('Message unavailable');
      await expect(reply.getByTestId('reply-quote')).toHaveCount(0);
    }
    await expect(messageRow(b.page, 'Bob: what wrong chat?').getByTestId('reply-quote')).toContainText(ownText);
  });

  await test.step('reloaded, the history still leaves both out', async () => {
    await a.page.reload();
    await expect(messageRow(a.page, 'Bob: hello')).toHaveCount(1);
    await expect(messageRow(a.page, 'Bob: my bank details, oops')).toHaveCount(0);
    await expect(messageRow(a.page, ownText)).toHaveCount(0);
  });

  await test.step('deleted on my phone while my laptop\'s first page of the chat was on its way: the page does not bring it back', async () => {
    const late = 'Bob: one more thing';
    await sendMessageApi(bob, chat, late);
    await expect(messageRow(phone.page, late)).toHaveCount(1);
    // The laptop opens the chat afresh; the server answers its page now, with the message in it.
    const held = await holdHistoryPages(a.page, chat);
    await a.page.reload();
    await held.asked;
    await expect(conversationItem(a.page, chat).getByTestId('conversation-preview')).toContainText(late);
    await chooseMessageAction(phone.page, messageRow(phone.page, late), 'action-delete');
    await phone.page.getByTestId('confirm-dialog').getByTestId('delete-message-for-me').click();
    await expect(messageRow(phone.page, late)).toHaveCount(0);
    // The laptop has heard of it (its list reads the chat again after it): now the page arrives.
    await expect(conversationItem(a.page, chat).getByTestId('conversation-preview')).toContainText('Bob: what wrong chat?');
    held.release();
    await expect(messageRow(a.page, 'Bob: hello')).toHaveCount(1);
    await expect(messageRow(a.page, late)).toHaveCount(0);
    await a.page.unrouteAll();
  });

  expect(phoneWatch.errors, 'errors in the phone’s page').toEqual([]);
  await phone.context.close();
  await a.close();
  await b.close();
});

test('(4) delete for me also clears a message deleted for everyone and a system line from my view, and only that is offered', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('tamy'), registerUser('tbob')]);
  const group = await createGroupApi(bob, 'Tidy group', [amy]);
  await sendMessageApi(bob, group, 'Bob: still here');
  const gone = await sendMessageApi(bob, group, 'Bob: regretted');
  await gql('mutation D($id: ID!) { deleteMessage(messageId: $id) { id } }', { id: gone.id }, bob.token);
  const a = await personFor(browser, amy);
  const b = await personFor(browser, bob);
  for (const page of [a.page, b.page]) await openConversation(page, group);
  const dialog = a.page.getByTestId('confirm-dialog');
  const tombstone = a.page.locator(`[data-testid="message"][data-message-id="${gone.id}"]`);
  const systemLine = a.page.getByTestId('system-message');

  await test.step('the tombstone: only "Delete", and only for me', async () => {
    await expect(tombstone.getByTestId('message-deleted')).toBeVisible();
    await tombstone.hover();
    await tombstone.getByTestId('message-actions').click();
    await expect(a.page.getByTestId('message-menu').locator('[data-testid^="action-"]')).toHaveCount(1);
    await a.page.getByTestId('action-delete').click();
    await expect(dialog.getByTestId('delete-message-for-everyone')).toHaveCount(0);
    await dialog.getByTestId('delete-message-for-me').click();
    await expect(tombstone).toHaveCount(0);
  });

  await test.step('the system line too, from its menu', async () => {
    await expect(systemLine).toContainText('created the group “Tidy group”');
    await chooseMessageAction(a.page, systemLine, 'action-delete');
    await expect(dialog.getByTestId('delete-message-for-everyone')).toHaveCount(0);
    await dialog.getByTestId('delete-message-for-me').click();
    await expect(systemLine).toHaveCount(0);
  });

  await test.step('gone after a reload too; Bob still sees both', async () => {
    await a.page.reload();
    await expect(messageRow(a.page, 'Bob: still here')).toHaveCount(1);
    await expect(tombstone).toHaveCount(0);
    await expect(systemLine).toHaveCount(0);
    await expect(b.page.locator(`[data-testid="message"][data-message-id="${gone.id}"]`).getByTestId('message-deleted')).toBeVisible();
    await expect(b.page.getByTestId('system-message')).toHaveCount(1);
  });
  await a.close();
  await b.close();
});

test('(5) a group cannot be created with nobody in it', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('zamy'), registerUser('zbob')]);
  await createDirect(bob, amy);
  const a = await personFor(browser, amy);
  await a.page.getByTestId('new-group').click();
  await textField(a.page, 'group-title').fill('Just me');
  const create = a.page.getByTestId('create-group');
  await expect(create).toBeDisabled();
  await expect(a.page.getByTestId('group-member-count')).toHaveText('Pick at least one person');

  await textField(a.page, 'group-member-search').fill(bob.username);
  await a.page.locator(`[data-testid="person-item"][data-username="${bob.username}"]`).getByRole('checkbox').check();
  await expect(a.page.getByTestId('group-member-count')).toHaveText('Members: 1');
  await expect(create).toBeEnabled();
  await a.close();
});

test('(6) one time format: the list and the bubbles agree, 12-hour in English and 24-hour in Russian', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('fmamy'), registerUser('fmbob')]);
  const chat = await createDirect(bob, amy);
  await sendMessageApi(bob, chat, 'what time is it');
  const a = await personFor(browser, amy);
  await openConversation(a.page, chat);
  const listTime = conversationItem(a.page, chat).locator('time');
  const bubbleTime = messageRow(a.page, 'what time is it').locator('time');
  await expect(bubbleTime).toHaveText(/^\d{1,2}:\d{2}\s[AP]M$/);
  await expect(listTime).toHaveText((await bubbleTime.textContent())!.trim());

  await chooseLanguage(a.page, 'Language', 'Русский');
  await expect(bubbleTime).toHaveText(/^\d{2}:\d{2}$/);
  await expect(listTime).toHaveText((await bubbleTime.textContent())!.trim());
  await a.close();
});

test('(7) no sender names in a direct chat; in a group the name and avatar once per run', async ({ browser }) => {
  const [amy, bob, cat] = await Promise.all([registerUser('namy'), registerUser('nbob'), registerUser('ncat')]);
  const chat = await createDirect(bob, amy);
  await sendMessageApi(bob, chat, 'direct one');
  await sendMessageApi(bob, chat, 'direct two');
  const group = await createGroupApi(amy, 'Runs', [bob, cat]);
  for (const [who, text] of [[bob, 'bob first'], [bob, 'bob second'], [cat, 'cat first']] as const) await sendMessageApi(who, group, text);
  const a = await personFor(browser, amy);

  await openConversation(a.page, chat);
  await expect(messageRow(a.page, 'direct two')).toBeVisible();
  await expect(a.page.getByTestId('message-sender')).toHaveCount(0);
  await expect(a.page.getByTestId('message-avatar')).toHaveCount(0);

  await openConversation(a.page, group);
  await expect(messageRow(a.page, 'cat first')).toBeVisible();
  await expect(messageRow(a.page, 'bob first').getByTestId('message-sender')).toHaveText(bob.username);
  await expect(messageRow(a.page, 'bob second').getByTestId('message-sender')).toHaveCount(0);
  await expect(messageRow(a.page, 'cat first').getByTestId('message-sender')).toHaveText(cat.username);
  await expect(a.page.getByTestId('message-avatar')).toHaveCount(2);
  await a.close();
});

test('(8) the message menu: a long press on a phone (no ⋮ beside the bubbles), right-click on a desktop', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('lamy'), registerUser('lbob')]);
  const chat = await createDirect(bob, amy);
  await sendMessageApi(bob, chat, 'press and hold me');

  await test.step('phone: no actions button; a long press opens the menu; Reply works', async () => {
    const phone = await personFor(browser, amy, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await conversationItem(phone.page, chat).click();
    const row = messageRow(phone.page, 'press and hold me');
    await expect(row).toBeVisible();
    await expect(row.getByTestId('message-actions')).toBeHidden();
    const bubble = row.locator('.message-row__bubble');
    await bubble.dispatchEvent('pointerdown', { pointerType: 'touch', clientX: 20, clientY: 20, isPrimary: true });
    await expect(phone.page.getByTestId('message-menu')).toBeVisible();
    await bubble.dispatchEvent('pointerup', { pointerType: 'touch', clientX: 20, clientY: 20, isPrimary: true });
    await phone.page.getByTestId('action-reply').click();
    await expect(phone.page.getByTestId('reply-bar')).toContainText('press and hold me');
    await phone.close();
  });

  await test.step('desktop: right-click opens the same menu', async () => {
    const desk = await personFor(browser, amy);
    await openConversation(desk.page, chat);
    await messageRow(desk.page, 'press and hold me').locator('.message-row__bubble').click({ button: 'right' });
    await expect(desk.page.getByTestId('message-menu')).toBeVisible();
    await desk.page.getByTestId('action-reply').click();
    await expect(desk.page.getByTestId('reply-bar')).toContainText('press and hold me');
    await desk.close();
  });
});

test('(9) the notifications offer waits for the first message received, is one line, and "Not now" lasts', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('ramy'), registerUser('rbob')]);
  const chat = await createDirect(bob, amy);
  const a = await personFor(browser, amy, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const banner = a.page.getByTestId('notifications-banner');
  // The request to confirm the address comes first (one banner at a time): put off for this tab.
  await a.page.getByTestId('email-banner-dismiss').click();
  await expect(a.page.getByTestId('email-banner')).toHaveCount(0);
  await expect(banner).toHaveCount(0);

  await sendMessageApi(bob, chat, 'hello there');
  await expect(banner).toBeVisible();
  expect((await banner.boundingBox())!.height).toBeLessThanOrEqual(0.07 * 844);
  await a.page.getByTestId('notifications-dismiss').click();
  await expect(banner).toHaveCount(0);

  await a.page.reload();
  await expect(a.page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await sendMessageApi(bob, chat, 'hello again');
  await expect(conversationItem(a.page, chat).getByTestId('conversation-preview')).toContainText('hello again');
  await expect(banner).toHaveCount(0);
  await a.close();
});

test('(11) a visible focus ring, and the arrow keys move through the conversation list', async ({ browser }) => {
  const [amy, bob, cat] = await Promise.all([registerUser('kamy'), registerUser('kbob'), registerUser('kcat')]);
  const first = await createDirect(bob, amy);
  await sendMessageApi(bob, first, 'from bob');
  const second = await createDirect(cat, amy);
  await sendMessageApi(cat, second, 'from cat');
  const a = await personFor(browser, amy);
  const list = a.page.getByTestId('conversation-item');
  await expect(list).toHaveCount(2);

  // Tab from the filter reaches the icon buttons (each with a ring), then the list: one stop.
  await a.page.getByLabel('Filter conversations').focus();
  await a.page.keyboard.press('Tab');
  const newChat = a.page.getByTestId('new-chat');
  await expect(newChat).toBeFocused();
  const ring = await newChat.evaluate((el) => ({ style: getComputedStyle(el).outlineStyle, width: parseFloat(getComputedStyle(el).outlineWidth) }));
  expect(ring.style).toBe('solid');
  expect(ring.width).toBeGreaterThanOrEqual(2);

  await expect(list.nth(0)).toHaveAttribute('tabindex', '0');
  await expect(list.nth(1)).toHaveAttribute('tabindex', '-1');
  await list.nth(0).focus();
  await a.page.keyboard.press('ArrowDown');
  await expect(list.nth(1)).toBeFocused();
  await expect(list.nth(1)).toHaveAttribute('tabindex', '0');
  await a.page.keyboard.press('Home');
  await expect(list.nth(0)).toBeFocused();
  await a.page.keyboard.press('End');
  await a.page.keyboard.press('Enter');
  await expect(a.page).toHaveURL(new RegExp(`/chats/${first}$`));
  await a.close();
});

test('(13) a new account is offered "Find people" and "New group" as buttons', async ({ browser }) => {
  const amy = await registerUser('eamy');
  const a = await personFor(browser, amy);
  const welcome = a.page.getByTestId('no-conversation');
  await expect(welcome).toContainText('Welcome to Dash');
  await welcome.getByTestId('welcome-find-people').click();
  await expect(a.page.getByRole('dialog')).toBeVisible();
  await a.page.keyboard.press('Escape');
  await welcome.getByTestId('welcome-new-group').click();
  await expect(a.page.getByTestId('create-group')).toBeVisible();
  await a.close();
});

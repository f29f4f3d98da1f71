import { readFile } from 'node:fs/promises';
import type { Locator } from '@playwright/test';
import { expect, test } from '../fixtures/test';
import { createDirect, gql, registerUser, sendMessageApi } from '../fixtures/api';
import { gradientPng } from '../fixtures/images';
import { chooseConversationMenu, conversationItem, networkSwitch, newPerson, openConversation, signIn, textField, watchPage } from '../fixtures/ui';

test('a photo and a file go from one person to the other: thumbnail at its final size, lightbox, download', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('mamy'), registerUser('mbob')]);
  const chat = await createDirect(amy, bob);
  const a = await newPerson(browser);
  const b = await newPerson(browser);
  const watches = [watchPage(a.page, 'amy'), watchPage(b.page, 'bob')];
  await Promise.all([signIn(a.page, amy), signIn(b.page, bob)]);
  await Promise.all([openConversation(a.page, chat), openConversation(b.page, chat)]);

  await test.step('Amy attaches a photo, sees it in the tray, and sends it with a caption', async () => {
    await a.page.getByTestId('attach-input').setInputFiles({ name: 'bay.png', mimeType: 'image/png', buffer: gradientPng(640, 480, [250, 120, 40], [30, 60, 160]) });
    await expect(a.page.getByTestId('tray-item')).toHaveCount(1);
    const caption = a.page.getByRole('textbox', { name: 'Add a caption' });
    await caption.fill('Sunset over **the bay**');
    await caption.press('Enter');
    await expect(a.page.getByTestId('composer-tray')).toHaveCount(0);
    const own = a.page.getByTestId('message').filter({ has: a.page.getByTestId('message-photo') });
    await expect(own).toHaveCount(1);
    await expect(own).toHaveAttribute('data-status', /^(sent|read)$/);
  });

  await test.step('Bob sees it with its thumbnail, in a box of the photo’s shape from the start, and the caption below', async () => {
    const row = b.page.getByTestId('message').filter({ has: b.page.getByTestId('message-photo') });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('message-body')).toContainText('Sunset over the bay');
    const image = row.getByTestId('photo-image');
    await expect(image).toHaveAttribute('src', /\/media\/[0-9a-f-]+\/thumbnail\?expires=\d+&signature=/);
    await expect(image).toHaveAttribute('data-loaded', 'true');
    expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    const box = await row.getByTestId('message-photo').boundingBox();
    expect(box).not.toBeNull();
    expect(box!.width / box!.height).toBeCloseTo(640 / 480, 1);
  });

  await test.step('the lightbox opens on it, is named, and Esc closes it', async () => {
    await b.page.getByTestId('message-photo').click();
    const dialog = b.page.getByRole('dialog', { name: 'Photo 1 of 1' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('photo-image')).toHaveAttribute('src', /\/media\/[0-9a-f-]+\/original\?/);
    await b.page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });

  await test.step('a file arrives with its name, size and a download link', async () => {
    await a.page.getByTestId('attach-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Packing list: towel, tea.\n') });
    await a.page.getByRole('textbox', { name: 'Add a caption' }).press('Enter');
    const file = b.page.getByTestId('message-file');
    await expect(file.getByTestId('file-name')).toHaveText('notes.txt');
    await expect(file.getByTestId('file-size')).toContainText('26');
    const link = file.getByTestId('file-download');
    await expect(link).toHaveAttribute('href', /\/media\/[0-9a-f-]+\/original\?/);
    const response = await b.page.request.get((await link.getAttribute('href'))!);
    expect(response.headers()['content-disposition']).toContain('attachment');
    expect(await response.text()).toBe('Packing list: towel, tea.\n');
  });

  await test.step('two photos make a grid; the lightbox goes through them with the arrow keys and a swipe', async () => {
    await a.page.getByTestId('attach-input').setInputFiles([
      { name: 'one.png', mimeType: 'image/png', buffer: gradientPng(400, 300, [240, 40, 40], [40, 40, 240]) },
      { name: 'two.png', mimeType: 'image/png', buffer: gradientPng(300, 400, [40, 240, 40], [240, 240, 40]) },
    ]);
    await a.page.getByRole('textbox', { name: 'Add a caption' }).press('Enter');
    const grid = b.page.locator('[data-testid="message-photos"][data-count="2"]');
    await expect(grid.getByTestId('photo-image')).toHaveCount(2);
    await grid.getByRole('button', { name: 'Open photo 1 of 2' }).click();
    await expect(b.page.getByRole('dialog', { name: 'Photo 1 of 2' })).toBeVisible();
    await b.page.keyboard.press('ArrowRight');
    await expect(b.page.getByRole('dialog', { name: 'Photo 2 of 2' })).toBeVisible();
    // A finger swiping from left to right goes back.
    await b.page.getByTestId('lightbox').locator('.lightbox__stage').evaluate((stage) => {
      const at = (type: string, x: number) => stage.dispatchEvent(new PointerEvent(type, { pointerType: 'touch', clientX: x, clientY: 300, bubbles: true }));
      at('pointerdown', 200);
      at('pointerup', 420);
    });
    await expect(b.page.getByRole('dialog', { name: 'Photo 1 of 2' })).toBeVisible();
    await b.page.getByTestId('lightbox-close').click();
    await expect(b.page.getByTestId('lightbox')).toHaveCount(0);
  });

  for (const [index, watch] of watches.entries()) expect(watch.errors, `errors in page ${index}`).toEqual([]);
  await Promise.all([a.context.close(), b.context.close()]);
});

test('a pasted image and a dropped file wait in the tray, where one can be taken out again', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('pamy'), registerUser('pbob')]);
  const chat = await createDirect(amy, bob);
  const a = await newPerson(browser);
  const watch = watchPage(a.page, 'amy');
  await signIn(a.page, amy);
  await openConversation(a.page, chat);
  const png = [...gradientPng(120, 90, [90, 90, 200], [200, 90, 90])];

  // What a paste from the clipboard and a drop from the desktop hand the page: a DataTransfer with files.
  await a.page.getByRole('textbox', { name: 'Message', exact: true }).evaluate((input, bytes) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], 'pasted.png', { type: 'image/png' }));
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, png);
  await expect(a.page.getByTestId('tray-item')).toHaveCount(1);
  await a.page.getByTestId('composer').evaluate((composer) => {
    const data = new DataTransfer();
    data.items.add(new File(['plain words'], 'dropped.txt', { type: 'text/plain' }));
    composer.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await expect(a.page.getByTestId('tray-item')).toHaveCount(2);
  await expect(a.page.locator('[data-testid="tray-item"][data-kind="photo"]')).toHaveCount(1);
  await expect(a.page.locator('[data-testid="tray-item"][data-kind="file"]')).toHaveCount(1);

  await a.page.getByRole('button', { name: 'Remove pasted.png' }).click();
  await expect(a.page.getByTestId('tray-item')).toHaveCount(1);
  await a.page.getByRole('textbox', { name: 'Add a caption' }).press('Enter');
  await expect(a.page.getByTestId('message-file').getByTestId('file-name')).toHaveText('dropped.txt');
  await expect(a.page.getByTestId('message-photo')).toHaveCount(0);
  expect(watch.errors).toEqual([]);
  await a.context.close();
});

test('a file whose link ran out while the chat was open still downloads: the link is renewed first', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('lamy'), registerUser('lbob')]);
  const chat = await createDirect(amy, bob);
  const a = await newPerson(browser);
  const watch = watchPage(a.page, 'amy');
  await signIn(a.page, amy);
  await openConversation(a.page, chat);
  await a.page.getByTestId('attach-input').setInputFiles({ name: 'route.txt', mimeType: 'text/plain', buffer: Buffer.from('North ridge, then the lake.\n') });
  await a.page.getByRole('textbox', { name: 'Add a caption' }).press('Enter');
  const link = a.page.getByTestId('message-file').getByTestId('file-download');
  await expect(link).toHaveAttribute('href', /\/media\/[0-9a-f-]+\/original\?expires=/);
  const shown = (await link.getAttribute('href'))!;

  // An hour later by the page's clock, the link's signature has run out (MEDIA_URL_TTL is minutes): the message is read again first.
  await a.page.clock.setSystemTime(Date.now() + 60 * 60 * 1000);
  const reread = a.page.waitForRequest((request) => request.url().endsWith('/graphql') && (request.postData() ?? '').includes('query Messages'));
  const [download] = await Promise.all([a.page.waitForEvent('download'), link.click()]);
  await reread;
  expect(download.suggestedFilename()).toBe('route.txt');
  // (The server's clock did not move, so it signs the same link again: URLs are signed per window, for caching.)
  expect(download.url()).toBe(new URL(shown, a.page.url()).href);
  expect(await readFile((await download.path())!, 'utf8')).toBe('North ridge, then the lake.\n');
  expect(watch.errors).toEqual([]);
  await a.context.close();
});

test('on a phone, a photo sent offline waits as pending, fitted to the screen, and goes when the connection is back', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('oamy'), registerUser('obob')]);
  const chat = await createDirect(amy, bob);
  const a = await newPerson(browser, { viewport: { width: 390, height: 844 }, hasTouch: true });
  const watch = watchPage(a.page, 'amy');
  await signIn(a.page, amy);
  await a.page.goto(`/chats/${chat}`);
  await expect(a.page.getByTestId('conversation-view')).toBeVisible();

  await a.context.setOffline(true);
  await a.page.getByTestId('attach-input').setInputFiles({ name: 'late.png', mimeType: 'image/png', buffer: gradientPng(1200, 900, [20, 160, 90], [240, 240, 80]) });
  await expect(a.page.getByTestId('tray-item')).toHaveCount(1);
  await a.page.getByRole('textbox', { name: 'Add a caption' }).press('Enter');
  const row = a.page.getByTestId('message').filter({ has: a.page.getByTestId('message-photo') });
  await expect(row).toHaveAttribute('data-status', 'pending');
  // Shown from the file itself meanwhile, at the photo's shape, narrower than its 320 px on a wide screen.
  const box = await row.getByTestId('message-photo').boundingBox();
  expect(box!.width / box!.height).toBeCloseTo(1200 / 900, 1);
  expect(box!.width).toBeLessThan(320);

  await a.context.setOffline(false);
  await expect(row).toHaveAttribute('data-status', /^(sent|read)$/);
  await expect(row.getByTestId('photo-image')).toHaveAttribute('data-loaded', 'true');
  expect(watch.errors).toEqual([]);
  await a.context.close();
});

test('a picture or name set in Settings reaches the other person live (list, header, search), and the account button; a link run out is renewed', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('vamy'), registerUser('vbob')]);
  const chat = await createDirect(amy, bob);
  await sendMessageApi(amy, chat, 'Meet me at the north ridge');
  const a = await newPerson(browser);
  const b = await newPerson(browser);
  const bobsNetwork = await networkSwitch(b.context);
  const watches = [watchPage(a.page, 'amy'), watchPage(b.page, 'bob')];
  await Promise.all([signIn(a.page, amy), signIn(b.page, bob)]);
  await openConversation(b.page, chat);
  const listAvatar = conversationItem(b.page, chat).locator('[data-avatar]');
  const headerAvatar = b.page.getByTestId('conversation-avatar');
  const accountButton = a.page.getByTestId('account-menu');
  await expect(listAvatar).toHaveAttribute('data-avatar', 'initials');
  await expect(accountButton.locator('[data-avatar]')).toHaveAttribute('data-avatar', 'initials');
  /** An image's natural width once decoded (0 until it has loaded). */
  const decodedWidth = (image: Locator) => image.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0));

  await test.step('Amy sets a picture: her account button shows it, and Bob’s list and open chat without a reload', async () => {
    await a.page.getByTestId('nav-settings').click();
    await a.page.getByTestId('avatar-input').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: gradientPng(400, 300, [200, 40, 120], [40, 200, 220]) });
    await expect(a.page.getByTestId('avatar-editor-picture').getByTestId('avatar-image')).toHaveAttribute('src', /\/media\/[0-9a-f-]+\/original\?/);
    await expect(accountButton.getByTestId('avatar-image')).toHaveAttribute('src', /\/media\/[0-9a-f-]+\/thumbnail\?/);
    await expect.poll(() => decodedWidth(accountButton.getByTestId('avatar-image'))).toBe(128);

    await expect(listAvatar.getByTestId('avatar-image')).toHaveAttribute('src', /\/media\/[0-9a-f-]+\/thumbnail\?/);
    await expect(headerAvatar.getByTestId('avatar-image')).toHaveAttribute('src', /\/media\/[0-9a-f-]+\/thumbnail\?/);
    // The list's 128 px picture, decoded.
    await expect.poll(() => decodedWidth(listAvatar.getByTestId('avatar-image'))).toBe(128);
  });

  await test.step('Amy renames herself: Bob’s list and header say the new name at once', async () => {
    await a.page.getByTestId('settings-profile').getByLabel('Display name').fill('Amy on the Ridge');
    await a.page.getByTestId('profile-save').click();
    await expect(conversationItem(b.page, chat).getByTestId('conversation-title')).toHaveText('Amy on the Ridge');
    await expect(b.page.getByTestId('conversation-header').getByTestId('conversation-title')).toHaveText('Amy on the Ridge');
  });

  await test.step('Bob’s message search shows her picture beside her message', async () => {
    await chooseConversationMenu(b.page, 'menu-search');
    const dialog = b.page.getByTestId('message-search');
    await textField(dialog, 'message-search-input').fill('ridge');
    const result = dialog.getByTestId('search-result');
    await expect(result).toHaveCount(1);
    await expect(result).toContainText('Amy on the Ridge');
    await expect(result.getByTestId('avatar-image')).toHaveAttribute('src', /\/media\/[0-9a-f-]+\/thumbnail\?/);
    await expect.poll(() => decodedWidth(result.getByTestId('avatar-image'))).toBe(128);
    await b.page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });

  await test.step('Amy changes her picture while Bob is offline: once he is back, his list shows the new one', async () => {
    const mediaOf = (src: string | null) => /\/media\/([0-9a-f-]+)\//.exec(src ?? '')?.[1];
    const before = mediaOf(await listAvatar.getByTestId('avatar-image').getAttribute('src'));
    await bobsNetwork.cut();
    await expect(b.page.getByTestId('conversation-connection')).toBeVisible();
    await a.page.getByTestId('avatar-input').setInputFiles({ name: 'new.png', mimeType: 'image/png', buffer: gradientPng(300, 300, [20, 160, 90], [240, 240, 80]) });
    await expect.poll(async () => mediaOf(await accountButton.getByTestId('avatar-image').getAttribute('src'))).not.toBe(before);
    const now = mediaOf(await accountButton.getByTestId('avatar-image').getAttribute('src'));
    // Missed while away (events are not replayed): read again after the reconnect's catch-up.
    await bobsNetwork.restore();
    await expect.poll(async () => mediaOf(await listAvatar.getByTestId('avatar-image').getAttribute('src'))).toBe(now);
    await expect.poll(async () => mediaOf(await headerAvatar.getByTestId('avatar-image').getAttribute('src'))).toBe(now);
  });

  await test.step('an hour later by Bob’s clock her picture’s link has run out: shown again, it is renewed first', async () => {
    await b.page.clock.setSystemTime(Date.now() + 60 * 60 * 1000);
    const renewed = b.page.waitForRequest((request) => request.url().endsWith('/graphql') && /query UserAvatars/.test(request.postData() ?? '') && (request.postData() ?? '').includes(amy.id));
    // The list is drawn anew on the way back from Settings.
    await b.page.getByTestId('nav-settings').click();
    await expect(b.page.getByTestId('settings-profile')).toBeVisible();
    await b.page.getByTestId('nav-chats').click();
    await renewed;
    // (The server's clock did not move: it signs the same link again, which it still takes.)
    await expect.poll(() => decodedWidth(listAvatar.getByTestId('avatar-image'))).toBe(128);
  });

  await test.step('Amy removes her picture: initials again in Bob’s list, and on her account button', async () => {
    await a.page.getByTestId('avatar-remove').click();
    await expect(accountButton.locator('[data-avatar]')).toHaveAttribute('data-avatar', 'initials');
    await expect(listAvatar).toHaveAttribute('data-avatar', 'initials');
  });

  for (const [index, watch] of watches.entries()) expect(watch.errors, `errors in page ${index}`).toEqual([]);
  await Promise.all([a.context.close(), b.context.close()]);
});

test('a group’s owner sets its photo in the group panel; a member sees it at once, and a member cannot set it', async ({ browser }) => {
  const [olga, max] = await Promise.all([registerUser('gowner'), registerUser('gmember')]);
  const { createGroup } = await gql<{ createGroup: { id: string } }>(
    `mutation Group($input: CreateGroupInput!) { createGroup(input: $input) { id } }`,
    { input: { title: 'Photo club', memberIds: [max.id] } },
    olga.token,
  );
  const o = await newPerson(browser);
  const m = await newPerson(browser);
  const watches = [watchPage(o.page, 'olga'), watchPage(m.page, 'max')];
  await Promise.all([signIn(o.page, olga), signIn(m.page, max)]);
  await expect(conversationItem(m.page, createGroup.id).locator('[data-avatar]')).toHaveAttribute('data-avatar', 'initials');

  await test.step('a member’s panel offers no photo to change', async () => {
    await openConversation(m.page, createGroup.id);
    await chooseConversationMenu(m.page, 'menu-group-panel');
    await expect(m.page.getByTestId('group-panel')).toBeVisible();
    await expect(m.page.getByTestId('group-avatar')).toHaveCount(0);
    await m.page.keyboard.press('Escape');
  });

  await test.step('the owner sets it; the member’s list and header show it without a reload', async () => {
    await openConversation(o.page, createGroup.id);
    await chooseConversationMenu(o.page, 'menu-group-panel');
    const editor = o.page.getByTestId('group-avatar');
    await editor.getByTestId('avatar-input').setInputFiles({ name: 'club.png', mimeType: 'image/png', buffer: gradientPng(300, 300, [250, 200, 0], [0, 100, 200]) });
    await expect(editor.getByTestId('avatar-image')).toHaveAttribute('src', /\/media\/[0-9a-f-]+\/original\?/);
    await expect(conversationItem(m.page, createGroup.id).getByTestId('avatar-image')).toHaveAttribute('src', /\/media\/[0-9a-f-]+\/thumbnail\?/);
    await expect(m.page.getByTestId('conversation-avatar').getByTestId('avatar-image')).toHaveAttribute('src', /\/media\/[0-9a-f-]+\/thumbnail\?/);
  });

  await test.step('the owner removes it: initials again on both sides', async () => {
    await o.page.getByTestId('group-avatar').getByTestId('avatar-remove').click();
    await expect(o.page.getByTestId('group-avatar').getByTestId('avatar-image')).toHaveCount(0);
    await expect(conversationItem(m.page, createGroup.id).getByTestId('avatar-image')).toHaveCount(0);
  });

  for (const [index, watch] of watches.entries()) expect(watch.errors, `errors in page ${index}`).toEqual([]);
  await Promise.all([o.context.close(), m.context.close()]);
});

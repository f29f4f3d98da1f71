import { expect, test } from '../fixtures/test';
import { createDirect, registerUser } from '../fixtures/api';
import { gradientPng } from '../fixtures/images';
import { newPerson, openConversation, signIn, watchPage } from '../fixtures/ui';

test('a pack made from two images is shared; the other person adds it, sends one of its stickers, and removes the pack', async ({ browser }) => {
  const [amy, bob] = await Promise.all([registerUser('samy'), registerUser('sbob')]);
  const chat = await createDirect(amy, bob);
  const a = await newPerson(browser);
  const b = await newPerson(browser);
  const watches = [watchPage(a.page, 'amy'), watchPage(b.page, 'bob')];
  await Promise.all([signIn(a.page, amy), signIn(b.page, bob)]);
  const title = `Shapes ${amy.username.slice(-4)}`;
  let link = '';

  await test.step('Amy makes a pack from two of her images, an emoji each, and publishes it', async () => {
    await openConversation(a.page, chat);
    await a.page.getByTestId('sticker-button').click();
    await a.page.getByTestId('sticker-manage').click();
    const dialog = a.page.getByTestId('sticker-packs-dialog');
    await dialog.getByLabel('Title').fill(title);
    await dialog.getByTestId('pack-create').click();
    const pack = dialog.getByTestId('my-pack').filter({ has: a.page.getByTestId('my-pack-title').getByText(title, { exact: true }) });
    await expect(pack).toHaveCount(1);
    await pack.getByTestId('pack-add-input').setInputFiles([
      { name: 'sun.png', mimeType: 'image/png', buffer: gradientPng(256, 256, [255, 200, 0], [255, 90, 0], { transparentCorner: true }) },
      { name: 'fish.png', mimeType: 'image/png', buffer: gradientPng(300, 200, [0, 120, 255], [0, 220, 160], { transparentCorner: true }) },
    ]);
    await pack.getByLabel('Emoji for sun.png').fill('☀️');
    await pack.getByLabel('Emoji for fish.png').fill('🐟');
    await pack.getByTestId('pack-add-submit').click();
    await expect(pack.getByTestId('my-pack-sticker')).toHaveCount(2);
    await expect(pack.getByRole('img', { name: 'Sticker 🐟' })).toBeVisible();
    await pack.getByTestId('pack-publish').click();
    await expect(pack.getByTestId('my-pack-state')).toHaveText('Published');
    link = (await pack.getByTestId('pack-copy-link').getAttribute('data-link'))!;
    expect(link).toMatch(/\/stickers\/[A-Za-z0-9_-]+$/);
    await dialog.getByTestId('sticker-packs-close').click();
    await expect(dialog).toHaveCount(0);
  });

  await test.step('Bob opens the link, previews the pack and adds it', async () => {
    await b.page.goto(new URL(link).pathname);
    const shared = b.page.getByTestId('shared-pack');
    await expect(shared.getByTestId('shared-pack-title')).toHaveText(title);
    await expect(shared.getByTestId('shared-pack-sticker')).toHaveCount(2);
    await shared.getByTestId('shared-pack-add').click();
    await expect(shared.getByTestId('shared-pack-added')).toBeVisible();
  });

  await test.step('Bob sends its second sticker from the composer with the keyboard', async () => {
    await b.page.goto(`/chats/${chat}`);
    await expect(b.page.getByTestId('conversation-view')).toBeVisible();
    await b.page.getByTestId('sticker-button').click();
    await b.page.getByRole('tab', { name: title }).click();
    const first = b.page.getByTestId('sticker-picker').getByRole('button', { name: 'Send sticker ☀️' });
    await first.focus();
    await b.page.keyboard.press('ArrowRight');
    await expect(b.page.getByRole('button', { name: 'Send sticker 🐟' })).toBeFocused();
    await b.page.keyboard.press('Enter');
    const own = b.page.getByTestId('message').filter({ has: b.page.getByTestId('message-sticker') });
    await expect(own).toHaveAttribute('data-status', /^(sent|read)$/);
  });

  await test.step('Amy sees the sticker, large and without a bubble', async () => {
    const sticker = a.page.getByTestId('message').getByRole('img', { name: 'Sticker 🐟' });
    await expect(sticker).toBeVisible();
    await expect.poll(() => sticker.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
    const box = await sticker.boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(150);
    await expect(a.page.locator('.message-bubble--bare').getByRole('img', { name: 'Sticker 🐟' })).toHaveCount(1);
  });

  await test.step('Bob takes the pack out of his list; the picker no longer offers it', async () => {
    await b.page.getByTestId('sticker-button').click();
    await b.page.getByTestId('sticker-manage').click();
    const dialog = b.page.getByTestId('sticker-packs-dialog');
    const installed = dialog.getByTestId('installed-pack').filter({ hasText: title });
    await installed.getByTestId('pack-uninstall').click();
    await expect(installed).toHaveCount(0);
    await dialog.getByTestId('sticker-packs-close').click();
    await b.page.getByTestId('sticker-button').click();
    await expect(b.page.getByTestId('sticker-picker')).toBeVisible();
    await expect(b.page.getByRole('tab', { name: title })).toHaveCount(0);
  });

  for (const [index, watch] of watches.entries()) expect(watch.errors, `errors in page ${index}`).toEqual([]);
  await Promise.all([a.context.close(), b.context.close()]);
});

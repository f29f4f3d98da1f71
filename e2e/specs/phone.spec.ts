import { expect, test } from '../fixtures/test';
import { createDirect, registerUser, sendMessageApi } from '../fixtures/api';
import {
  backgroundLuminance,
  chooseLanguage,
  chooseTheme,
  composer,
  conversationItem,
  messageRow,
  saveScreenshot,
  sendFromComposer,
  signIn,
  watchPage,
} from '../fixtures/ui';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

test('on a phone, list and chat are separate screens; dark theme and Russian render', async ({ page }) => {
  const watch = watchPage(page, 'phone');
  const [pia, pal] = await Promise.all([registerUser('ppia'), registerUser('ppal')]);
  const conversationId = await createDirect(pal, pia);
  await sendMessageApi(pal, conversationId, 'Are you on your phone?');
  await sendMessageApi(pal, conversationId, 'The layout should be a single column.');

  const list = page.getByTestId('conversation-list');
  const view = page.getByTestId('conversation-view');

  await test.step('the list is a screen of its own', async () => {
    await signIn(page, pia);
    await expect(list).toBeVisible();
    await expect(view).toBeHidden();
    const box = (await list.boundingBox())!;
    expect(box.width).toBeGreaterThan(390 * 0.9);
  });

  await test.step('opening a chat replaces the list; the chat works', async () => {
    await conversationItem(page, conversationId).click();
    await expect(page).toHaveURL(new RegExp(`/chats/${conversationId}$`));
    await expect(view).toBeVisible();
    await expect(list).toBeHidden();
    await expect(messageRow(page, 'The layout should be a single column.')).toBeVisible();
    await sendFromComposer(page, 'Yes, one column it is.');
    await expect(composer(page)).toBeInViewport();
    await saveScreenshot(page, 'phone-chat-light');
  });

  await test.step('back returns to the list', async () => {
    await page.getByRole('button', { name: 'Back to chats' }).click();
    await expect(page).toHaveURL(/\/chats\/?$/);
    await expect(list).toBeVisible();
    await expect(view).toBeHidden();
    await expect(conversationItem(page, conversationId).getByTestId('conversation-preview')).toContainText('one column');
  });

  await test.step('dark theme and Russian, switched in the app bar, render', async () => {
    expect(await backgroundLuminance(page)).toBeGreaterThan(0.5);
    await chooseTheme(page, 'dark');
    await expect.poll(() => backgroundLuminance(page)).toBeLessThan(0.1);

    await chooseLanguage(page, 'Language', 'Русский');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
    await expect(page.getByLabel('Фильтр чатов')).toBeVisible();
    await expect(page.getByTestId('new-chat')).toHaveAccessibleName(/Новый чат/);
    await saveScreenshot(page, 'phone-list-dark-ru');

    await conversationItem(page, conversationId).click();
    await expect(view).toBeVisible();
    await expect(page.getByRole('button', { name: 'Назад к чатам' })).toBeVisible();
    await saveScreenshot(page, 'phone-chat-dark-ru');
  });

  await test.step('both choices are remembered across a reload', async () => {
    await page.reload();
    await expect(view).toBeVisible();
    await expect(page.getByRole('button', { name: 'Назад к чатам' })).toBeVisible();
    expect(await backgroundLuminance(page)).toBeLessThan(0.1);
    await page.getByRole('button', { name: 'Назад к чатам' }).click();
    await expect(list).toBeVisible();
  });

  expect(watch.errors, 'uncaught errors in the page').toEqual([]);
});

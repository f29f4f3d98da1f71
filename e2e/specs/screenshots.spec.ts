import { expect, test } from '../fixtures/test';
import { demoPassword } from '../fixtures/api';
import { backgroundLuminance, chooseTheme, conversationItemByTitle, newPerson, saveScreenshot, signIn, watchPage } from '../fixtures/ui';

const demo = { username: 'demo', password: demoPassword };
/** A demo group with a few people talking (seeded by the API). */
const showcase = 'Weekend hike';
/** Notifications already allowed: no permission banner over the screens. */
const permissions = ['notifications'];

/**
 * The key screens with the demo data, saved to test-results/screenshots/ (and attached):
 * the chats screen on a desktop in light and dark, and on a phone.
 */
test('the chats screen with the demo data, desktop light and dark, and phone', async ({ browser }) => {
  await test.step('desktop, light then dark', async () => {
    const { context, page } = await newPerson(browser, { viewport: { width: 1280, height: 800 }, colorScheme: 'light', permissions });
    const watch = watchPage(page, 'desktop');
    await signIn(page, demo);
    await conversationItemByTitle(page, showcase).click();
    await expect(page.getByTestId('conversation-view')).toBeVisible();
    await expect(page.getByTestId('message').last()).toBeVisible();
    await expect(page.getByTestId('notifications-banner')).toHaveCount(0);
    await chooseTheme(page, 'light');
    expect(await backgroundLuminance(page)).toBeGreaterThan(0.5);
    await page.mouse.move(0, 0); // no hover highlight on the toggle
    await saveScreenshot(page, 'chats-desktop-light');

    await chooseTheme(page, 'dark');
    await expect.poll(() => backgroundLuminance(page)).toBeLessThan(0.1);
    await page.mouse.move(0, 0); // no hover highlight on the toggle
    await saveScreenshot(page, 'chats-desktop-dark');
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  await test.step('phone: the list, then a chat', async () => {
    const { context, page } = await newPerson(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, permissions });
    const watch = watchPage(page, 'phone');
    await signIn(page, demo);
    await expect(conversationItemByTitle(page, showcase)).toBeVisible();
    await saveScreenshot(page, 'chats-phone');
    await conversationItemByTitle(page, showcase).click();
    await expect(page.getByTestId('message').last()).toBeVisible();
    await saveScreenshot(page, 'chats-phone-conversation');
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});

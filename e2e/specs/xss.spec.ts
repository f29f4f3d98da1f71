import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/test';
import { createDirect, registerUser, sendMessageApi } from '../fixtures/api';
import { conversationItem, messageRowContaining, newPerson, openConversation, sendFromComposer, signIn, watchPage } from '../fixtures/ui';

const marker = 'xss-probe';
const payload = `${marker} <img src=x onerror=alert(1)> <script>alert(2)</script> [x](javascript:alert(1)) [safe](https://example.com/)`;

/** The body shows the markup as text and holds nothing active. */
async function expectInert(page: Page, body: Locator): Promise<void> {
  await expect(body).toContainText('<img src=x onerror=alert(1)>');
  await expect(body).toContainText('<script>alert(2)</script>');
  await expect(body.locator('img, script, iframe, object, embed, svg, [onerror], [onclick], [onload]')).toHaveCount(0);
  await expect(body.locator('a[href^="javascript:" i], a[href*="script:" i]')).toHaveCount(0);
  const hrefs = await body.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  for (const href of hrefs) expect(href).not.toMatch(/^\s*(javascript|data|vbscript):/i);
  // The ordinary link stays a link, opened safely in a new tab.
  const safe = body.getByRole('link', { name: 'safe' });
  await expect(safe).toHaveAttribute('href', 'https://example.com/');
  await expect(safe).toHaveAttribute('target', '_blank');
  await expect(safe).toHaveAttribute('rel', /noopener/);
  await expect(safe).toHaveAttribute('rel', /noreferrer/);
  // Nothing anywhere on the page came from the message's <img>.
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
}

test('a message with HTML, a script and a javascript: link shows as inert text', async ({ browser }) => {
  const [eve, vic] = await Promise.all([registerUser('xeve'), registerUser('xvic')]);
  const conversationId = await createDirect(vic, eve);
  await sendMessageApi(vic, conversationId, 'hello there');

  const e = await newPerson(browser);
  const v = await newPerson(browser);
  // Any alert/confirm/prompt fails the test (watchPage records it as an error).
  const watches = [watchPage(e.page, 'eve'), watchPage(v.page, 'vic')];
  await Promise.all([signIn(e.page, eve), signIn(v.page, vic)]);
  await Promise.all([openConversation(e.page, conversationId), openConversation(v.page, conversationId)]);

  await test.step('the sender sees her own message inert', async () => {
    const row = await sendFromComposer(e.page, payload, { shownAs: marker });
    await expectInert(e.page, row.getByTestId('message-body'));
  });

  await test.step('the receiver sees it inert too, and the list preview is plain', async () => {
    const row = messageRowContaining(v.page, marker);
    await expect(row).toHaveCount(1);
    await expectInert(v.page, row.getByTestId('message-body'));
    const preview = conversationItem(v.page, conversationId).getByTestId('conversation-preview');
    await expect(preview.locator('img, script, a')).toHaveCount(0);
  });

  await test.step('the same from the other direction, sent through the API, and after a reload', async () => {
    await sendMessageApi(vic, conversationId, `again: ${payload}`);
    const row = messageRowContaining(e.page, `again: ${marker}`);
    await expect(row).toHaveCount(1);
    await expectInert(e.page, row.getByTestId('message-body'));
    await e.page.reload();
    const again = messageRowContaining(e.page, `again: ${marker}`);
    await expect(again).toHaveCount(1);
    await expectInert(e.page, again.getByTestId('message-body'));
    // Her own one, which now came from the server's history rather than the optimistic send.
    const own = e.page.getByTestId('message').filter({ has: e.page.getByTestId('message-body').filter({ hasText: new RegExp(`^\\s*${marker}`) }) });
    await expect(own).toHaveCount(1);
    await expectInert(e.page, own.getByTestId('message-body'));
  });

  for (const [index, watch] of watches.entries()) expect(watch.errors, `errors or dialogs in page ${index}`).toEqual([]);
  await Promise.all([e.context.close(), v.context.close()]);
});

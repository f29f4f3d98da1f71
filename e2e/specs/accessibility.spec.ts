/**
 * Issue #15: axe-core over the screens a person meets — sign-in, registration, the chat list,
 * an open chat (with a reply to a message deleted for the viewer), the delete dialog, a group's panel, settings and help — in the light and the dark theme. No
 * serious or critical violation (WCAG 2.1 A and AA rules, colour contrast included); the
 * full list of every screen's findings is attached to the report.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/test';
import { gql, registerUser, sendMessageApi } from '../fixtures/api';
import { chooseConversationMenu, chooseMessageAction, newPerson, signIn, watchPage } from '../fixtures/ui';

interface Finding {
  screen: string;
  rule: string;
  impact: string;
  targets: string[];
  /** What axe says of the first element (for contrast: the colours and the ratio). */
  why: string;
}

/**
 * Runs axe over the page as it is now (only `within`, a modal dialog, when given: what is
 * behind its scrim cannot be reached); returns every finding, with the screen's name.
 */
async function audit(page: Page, screen: string, within?: string): Promise<Finding[]> {
  await page.evaluate(() => document.fonts.ready);
  // Colours are judged at rest: a hint fading in (Vuetify's transitions) measured mid-way is fainter than it stays.
  await page.waitForFunction(() =>
    document.getAnimations().every((animation) => animation.playState !== 'running' || animation.effect?.getTiming().iterations === Infinity),
  );
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  const results = await (within ? builder.include(within) : builder).analyze();
  return results.violations.map((v) => ({ screen, rule: v.id, impact: v.impact ?? 'unknown', targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')), why: v.nodes[0]?.any[0]?.message ?? v.help }));
}

for (const scheme of ['light', 'dark'] as const) {
  test(`no serious or critical accessibility violations, ${scheme} theme`, async ({ browser }) => {
    test.setTimeout(120_000);
    const [amy, bob, cat] = await Promise.all([registerUser('aamy'), registerUser('abob'), registerUser('acat')]);
    const { createGroup } = await gql<{ createGroup: { id: string } }>(
      'mutation G($input: CreateGroupInput!) { createGroup(input: $input) { id } }',
      { input: { title: 'Accessible group', memberIds: [bob.id, cat.id] } },
      amy.token,
    );
    await sendMessageApi(bob, createGroup.id, 'Hello **everyone**, see https://example.test');
    await sendMessageApi(cat, createGroup.id, 'Hi Bob');
    // A reply to a message Amy deleted for herself: it quotes "Message unavailable" to her.
    const forgotten = await sendMessageApi(bob, createGroup.id, 'Never mind');
    await gql('mutation H($id: ID!) { deleteMessageForMe(messageId: $id) }', { id: forgotten.id }, amy.token);
    await gql(
      'mutation S($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
      { input: { conversationId: createGroup.id, clientMsgId: `a11y-${forgotten.id}`, body: 'What did you say?', replyToId: forgotten.id } },
      cat.token,
    );
    await sendMessageApi(amy, createGroup.id, 'Mine');
    const { context, page } = await newPerson(browser, { colorScheme: scheme, viewport: { width: 1280, height: 800 }, permissions: ['notifications'] });
    const watch = watchPage(page, scheme);
    const findings: Finding[] = [];

    await page.goto('/login');
    await expect(page.getByLabel('User name or email')).toBeVisible();
    findings.push(...(await audit(page, 'sign-in')));
    await page.goto('/register');
    await expect(page.getByLabel('Repeat password', { exact: true })).toBeVisible();
    findings.push(...(await audit(page, 'registration')));

    await signIn(page, amy);
    await expect(page.getByTestId('conversation-item')).toHaveCount(1);
    findings.push(...(await audit(page, 'chat list')));
    await page.getByTestId('conversation-item').click();
    await expect(page.getByTestId('message')).toHaveCount(4);
    await expect(page.getByTestId('reply-quote-unavailable')).toBeVisible();
    findings.push(...(await audit(page, 'open chat')));
    const own = page.locator('[data-testid="message"][data-own="true"]');
    await chooseMessageAction(page, own, 'action-delete');
    await expect(page.getByTestId('delete-message-for-everyone')).toBeVisible();
    findings.push(...(await audit(page, 'delete dialog', '[data-testid="confirm-dialog"]')));
    await page.getByTestId('confirm-cancel').click();
    await expect(page.getByTestId('confirm-dialog')).toBeHidden();
    await chooseConversationMenu(page, 'menu-group-panel');
    await expect(page.getByTestId('member-item')).toHaveCount(3);
    findings.push(...(await audit(page, 'group panel', '[data-testid="group-panel"]')));
    await page.keyboard.press('Escape');

    await page.goto('/settings');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    findings.push(...(await audit(page, 'settings')));
    await page.goto('/help');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    findings.push(...(await audit(page, 'help')));

    await test.info().attach(`axe-${scheme}.json`, { body: JSON.stringify(findings, null, 2), contentType: 'application/json' });
    const severe = findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
    expect(severe, JSON.stringify(severe, null, 2)).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });
}

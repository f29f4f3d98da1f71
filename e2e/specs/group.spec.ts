import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/test';
import { registerUser, uniqueName } from '../fixtures/api';
import { composer, conversationItem, messageRow, newPerson, sendFromComposer, signIn, textField, watchPage } from '../fixtures/ui';

async function openGroupPanel(page: Page) {
  await page.getByTestId('conversation-menu').click();
  await page.getByTestId('menu-group-panel').click();
  const panel = page.getByTestId('group-panel');
  await expect(panel).toBeVisible();
  return panel;
}

test('a group of three: created, renamed, a member removed (and hears nothing more), one leaves', async ({ browser }) => {
  const [owner, bea, cid] = await Promise.all([registerUser('gowner'), registerUser('gbea'), registerUser('gcid')]);
  const title = uniqueName('Trip');
  const renamed = uniqueName('Renamed trip');

  const o = await newPerson(browser);
  const b = await newPerson(browser);
  const c = await newPerson(browser);
  const watches = [watchPage(o.page, 'owner'), watchPage(b.page, 'bea'), watchPage(c.page, 'cid')];
  await Promise.all([signIn(o.page, owner), signIn(b.page, bea), signIn(c.page, cid)]);

  let groupId = '';
  await test.step('the owner creates the group in the New group dialog', async () => {
    await o.page.getByTestId('new-group').click();
    await o.page.getByLabel('Group title').fill(title);
    const search = textField(o.page, 'group-member-search');
    for (const member of [bea, cid]) {
      await search.fill(member.username);
      const row = o.page.locator(`[data-testid="person-item"][data-username="${member.username}"]`);
      await row.getByRole('checkbox').check();
      await expect(row.getByRole('checkbox')).toBeChecked();
    }
    await o.page.getByTestId('create-group').click();
    await expect(o.page).toHaveURL(/\/chats\/[0-9a-f-]{36}$/);
    groupId = o.page.url().split('/').pop()!;
    await expect(o.page.getByTestId('conversation-view')).toBeVisible();
    await expect(conversationItem(o.page, groupId).getByTestId('conversation-title')).toHaveText(title);
  });

  await test.step('the members see it in their lists at once and everyone talks', async () => {
    for (const page of [b.page, c.page]) {
      await expect(conversationItem(page, groupId).getByTestId('conversation-title')).toHaveText(title);
      await conversationItem(page, groupId).click();
      await expect(page.getByTestId('conversation-view')).toBeVisible();
    }
    await sendFromComposer(o.page, 'Welcome to the trip group');
    await expect(messageRow(b.page, 'Welcome to the trip group')).toHaveCount(1);
    await expect(messageRow(c.page, 'Welcome to the trip group')).toHaveCount(1);
    await sendFromComposer(c.page, 'Cid is here');
    await expect(messageRow(o.page, 'Cid is here')).toHaveCount(1);
    await expect(messageRow(b.page, 'Cid is here')).toHaveCount(1);
  });

  await test.step('the owner renames it in the group panel; everyone sees the new title', async () => {
    const panel = await openGroupPanel(o.page);
    await expect(panel.getByTestId('member-item')).toHaveCount(3);
    const input = textField(panel, 'group-rename-input');
    await input.fill(renamed);
    await panel.getByTestId('group-rename-save').click();
    for (const page of [o.page, b.page, c.page]) {
      await expect(conversationItem(page, groupId).getByTestId('conversation-title')).toHaveText(renamed);
    }
  });

  await test.step('the owner removes Cid: Cid keeps the group read-only, "removed by" the owner, and receives nothing more', async () => {
    const panel = o.page.getByTestId('group-panel');
    await panel.locator(`[data-testid="member-item"][data-user-id="${cid.id}"]`).getByTestId('member-remove').click();
    // Asked first (issue #15): Cancel keeps Cid, the button in the dialog removes.
    const confirm = o.page.getByTestId('confirm-dialog');
    await expect(confirm).toContainText(`Remove ${cid.username}?`);
    await confirm.getByTestId('confirm-cancel').click();
    await expect(panel.getByTestId('member-item')).toHaveCount(3);
    await panel.locator(`[data-testid="member-item"][data-user-id="${cid.id}"]`).getByTestId('member-remove').click();
    await confirm.getByTestId('confirm-ok').click();
    await expect(panel.getByTestId('member-item')).toHaveCount(2);
    // Issue #15: not a silent disappearance — the group stays in Cid's list with its history,
    // and the composer gives way to who removed them.
    await expect(c.page.getByTestId('removed-bar')).toHaveText(new RegExp(`You were removed from this group by ${owner.username}\\.`));
    await expect(composer(c.page)).toHaveCount(0);
    await expect(messageRow(c.page, 'Cid is here')).toHaveCount(1);
    await expect(conversationItem(c.page, groupId)).toHaveCount(1);

    await o.page.keyboard.press('Escape');
    await sendFromComposer(o.page, 'Only for the two of us now');
    await expect(messageRow(b.page, 'Only for the two of us now')).toHaveCount(1);
    // Bea got it; Cid, on the same server, did not — neither in the view nor in the list, nor after a reload.
    await expect(c.page.getByText('Only for the two of us now')).toHaveCount(0);
    await c.page.reload();
    await expect(messageRow(c.page, 'Cid is here')).toHaveCount(1);
    await expect(c.page.getByText('Only for the two of us now')).toHaveCount(0);

    // Cid deletes the chat: now it is gone.
    await c.page.getByTestId('removed-delete').click();
    await c.page.getByTestId('delete-for-me').click();
    await expect(conversationItem(c.page, groupId)).toHaveCount(0);
  });

  await test.step('Bea leaves: the group leaves her list, and the owner is the only member', async () => {
    const panel = await openGroupPanel(b.page);
    await panel.getByTestId('group-leave').click();
    await b.page.getByTestId('confirm-dialog').getByTestId('confirm-ok').click();
    await expect(conversationItem(b.page, groupId)).toHaveCount(0);
    await expect(b.page).toHaveURL(/\/chats\/?$/);

    const ownerPanel = await openGroupPanel(o.page);
    await expect(ownerPanel.getByTestId('member-item')).toHaveCount(1);
    await expect(ownerPanel.locator(`[data-testid="member-item"][data-user-id="${owner.id}"]`)).toHaveCount(1);
    await expect(composer(o.page)).toBeVisible();
  });

  for (const [index, watch] of watches.entries()) expect(watch.errors, `errors in page ${index}`).toEqual([]);
  await Promise.all([o.context.close(), b.context.close(), c.context.close()]);
});

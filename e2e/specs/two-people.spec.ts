import { expect, test } from '../fixtures/test';
import { uniqueName } from '../fixtures/api';
import { composer, messageRow, newPerson, registerThroughUi, renderedRows, sendFromComposer, watchPage } from '../fixtures/ui';

test('two people register, start a direct chat and talk both ways in real time', async ({ browser }) => {
  const ann = { username: uniqueName('ann'), password: 'correct horse battery', email: '' };
  const ben = { username: uniqueName('ben'), password: 'battery staple horse', email: '' };
  ann.email = `${ann.username}@e2e.test`;
  ben.email = `${ben.username}@e2e.test`;

  const a = await newPerson(browser);
  const b = await newPerson(browser);
  const aWatch = watchPage(a.page, 'ann');
  const bWatch = watchPage(b.page, 'ben');

  await test.step('both register through the /register page', async () => {
    await Promise.all([registerThroughUi(a.page, ann), registerThroughUi(b.page, ben)]);
  });

  let conversationId = '';
  await test.step('Ann finds Ben in the New chat dialog and starts a chat', async () => {
    await a.page.getByTestId('new-chat').click();
    await a.page.getByLabel('Search people').fill(ben.username);
    const person = a.page.locator(`[data-testid="person-item"][data-username="${ben.username}"]`);
    await expect(person).toHaveCount(1);
    await person.getByTestId('start-chat').click();
    await expect(a.page).toHaveURL(/\/chats\/[0-9a-f-]{36}$/);
    conversationId = a.page.url().split('/').pop()!;
    await expect(a.page.getByTestId('conversation-view')).toBeVisible();
    await expect(composer(a.page)).toBeVisible();
  });

  await test.step('Ann writes; Ben sees the chat appear and the message arrive without reloading', async () => {
    await sendFromComposer(a.page, `Hi ${ben.username}, it is Ann`);
    const item = b.page.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`);
    await expect(item).toBeVisible();
    await expect(item.getByTestId('conversation-title')).toHaveText(ann.username);
    await expect(item.getByTestId('conversation-preview')).toContainText('it is Ann');
    await item.click();
    await expect(b.page.getByTestId('conversation-view')).toBeVisible();
    const received = messageRow(b.page, `Hi ${ben.username}, it is Ann`);
    await expect(received).toHaveCount(1);
    await expect(received).toHaveAttribute('data-own', 'false');
  });

  await test.step('Ben answers; Ann sees it live, and the talk goes on both ways', async () => {
    await sendFromComposer(b.page, 'Hello Ann! Ben here.');
    await expect(messageRow(a.page, 'Hello Ann! Ben here.')).toHaveAttribute('data-own', 'false');

    // Alternate a few turns: each side sees the other's message while keeping its own page.
    for (let turn = 1; turn <= 3; turn++) {
      const fromAnn = `ann turn ${turn}`;
      const fromBen = `ben turn ${turn}`;
      await sendFromComposer(a.page, fromAnn);
      await expect(messageRow(b.page, fromAnn)).toHaveCount(1);
      await sendFromComposer(b.page, fromBen);
      await expect(messageRow(a.page, fromBen)).toHaveCount(1);
    }

    // Both sides agree on the order (seq ascending) of the whole talk.
    // Both sides show the whole talk in the same order (renderedRows checks seq order and duplicates).
    const talk = ['Hello Ann! Ben here.', 'ann turn 1', 'ben turn 1', 'ann turn 2', 'ben turn 2', 'ann turn 3', 'ben turn 3'];
    for (const page of [a.page, b.page]) {
      const bodies = (await renderedRows(page)).map((row) => row.body);
      expect(bodies.slice(-talk.length)).toEqual(talk);
    }
  });

  expect(aWatch.errors, 'errors in Ann’s page').toEqual([]);
  expect(bWatch.errors, 'errors in Ben’s page').toEqual([]);
  await a.context.close();
  await b.context.close();
});

import { expect, test } from '../fixtures/test';
import { createDirect, registerUser, sendMessageApi } from '../fixtures/api';
import { conversationItem, messageRow, newPerson, openConversation, sendFromComposer, signIn, watchPage } from '../fixtures/ui';

test('the unread badge rises while the reader is elsewhere and read receipts reach the sender', async ({ browser }) => {
  const [amy, bob, cat] = await Promise.all([registerUser('ramy'), registerUser('rbob'), registerUser('rcat')]);
  // Setup, not the journey: Amy–Bob and Bob–Cat chats with one message each.
  const amyBob = await createDirect(amy, bob);
  await sendMessageApi(bob, amyBob, 'Bob says hi first');
  const bobCat = await createDirect(cat, bob);
  await sendMessageApi(cat, bobCat, 'Cat wants a word');

  const a = await newPerson(browser);
  const b = await newPerson(browser);
  const watches = [watchPage(a.page, 'amy'), watchPage(b.page, 'bob')];
  await Promise.all([signIn(a.page, amy), signIn(b.page, bob)]);

  await openConversation(a.page, amyBob);
  await expect(messageRow(a.page, 'Bob says hi first')).toHaveCount(1);
  // Bob is elsewhere: in his chat with Cat.
  await openConversation(b.page, bobCat);
  await expect(messageRow(b.page, 'Cat wants a word')).toHaveCount(1);
  const badge = conversationItem(b.page, amyBob).getByTestId('unread-badge');
  await expect(badge).toHaveCount(0);

  const sent: string[] = [];
  await test.step('each message from Amy raises Bob’s badge; Amy sees them sent, not read', async () => {
    for (let n = 1; n <= 3; n++) {
      const text = `Amy message ${n} of 3`;
      sent.push(text);
      await sendFromComposer(a.page, text);
      await expect(badge).toHaveText(String(n));
      await expect(messageRow(a.page, text)).toHaveAttribute('data-status', 'sent');
    }
    await expect(conversationItem(b.page, amyBob).getByTestId('conversation-preview')).toContainText('Amy message 3 of 3');
  });

  await test.step('Bob opens the chat: his badge goes, and Amy’s messages turn read', async () => {
    await openConversation(b.page, amyBob);
    for (const text of sent) await expect(messageRow(b.page, text)).toHaveCount(1);
    await expect(badge).toHaveCount(0);
    for (const text of sent) await expect(messageRow(a.page, text)).toHaveAttribute('data-status', 'read');
  });

  await test.step('a message sent while Bob reads the chat goes straight to read', async () => {
    const row = await sendFromComposer(a.page, 'Amy while Bob is watching');
    await expect(messageRow(b.page, 'Amy while Bob is watching')).toHaveCount(1);
    await expect(row).toHaveAttribute('data-status', 'read');
    await expect(badge).toHaveCount(0);
  });

  for (const [index, watch] of watches.entries()) expect(watch.errors, `errors in page ${index}`).toEqual([]);
  await Promise.all([a.context.close(), b.context.close()]);
});

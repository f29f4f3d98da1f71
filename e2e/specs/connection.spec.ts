import { expect, test } from '../fixtures/test';
import { createDirect, registerUser, sendMessageApi } from '../fixtures/api';
import { messageRow, newPerson, openConversation, signIn, watchPage } from '../fixtures/ui';

/**
 * A short network blip that the socket survives (Chromium keeps an open WebSocket through
 * `setOffline`, as a real connection often survives a second of lost Wi-Fi): the connection
 * state shows offline, then connected again — not "reconnecting" for ever — and messages flow.
 */
test('after a short blip the socket survives, the connection state comes back to connected', async ({ browser }) => {
  const [kim, lee] = await Promise.all([registerUser('ckim'), registerUser('clee')]);
  const conversationId = await createDirect(lee, kim);
  await sendMessageApi(lee, conversationId, 'before the blip');

  const { context, page } = await newPerson(browser);
  const watch = watchPage(page, 'kim');
  await signIn(page, kim);
  await openConversation(page, conversationId);
  await expect(messageRow(page, 'before the blip')).toHaveCount(1);
  const state = page.getByTestId('connection-state');
  await expect(state).toHaveAttribute('data-state', 'connected');

  await context.setOffline(true);
  await expect(state).toHaveAttribute('data-state', 'offline');
  await context.setOffline(false);
  // The socket never dropped: nothing to wait for but the page noticing it is online.
  await expect(state).toHaveAttribute('data-state', 'connected');

  await sendMessageApi(lee, conversationId, 'after the blip');
  await expect(messageRow(page, 'after the blip')).toHaveCount(1);

  expect(watch.errors, 'uncaught errors in the page').toEqual([]);
  await context.close();
});

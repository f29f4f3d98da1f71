import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, registerUser, uniqueName, type TestUser } from '../../../test/factories.js';
import type { ReceivedMail } from '../../../test/mail.js';
import { nextMail, startMailingServer, tokenOf, type MailingServer } from '../../../test/mailed-links.js';
import type { TestServer } from '../../../test/server.js';
import { CONFIRM_EMAIL_CHANGE as CONFIRM_CHANGE, REQUEST_EMAIL_CHANGE as REQUEST_CHANGE, REQUEST_RESET, RESEND_VERIFICATION as RESEND, VERIFY_EMAIL as VERIFY } from '../../../test/account-operations.js';

const UPDATE_PROFILE = 'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }';
const RESET = 'mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { token } }';
/** A display name the registration rules allow, written to read as a message of ours. */
const PHISHING_NAME = 'Dash security: verify at evil.example/login now';

const SUBJECTS = {
  en: { verify: 'Confirm your email for Dash', reset: 'Reset your Dash password', confirm: 'Confirm your new email for Dash', changed: 'Your Dash email was changed', password: 'Your Dash password was changed' },
  ru: { verify: 'Подтвердите адрес почты в Dash', reset: 'Сброс пароля Dash', confirm: 'Подтвердите новый адрес почты в Dash', changed: 'Адрес почты в Dash изменён', password: 'Пароль Dash изменён' },
};
const NAMELESS_GREETING = { en: 'Hello,', ru: 'Здравствуйте!' };

let mailing: MailingServer;
let server: TestServer;
beforeAll(async () => {
  mailing = await startMailingServer();
  server = mailing.server;
});
afterAll(() => mailing.close());

async function updateProfile(user: TestUser, input: { displayName?: string; locale?: string }): Promise<void> {
  expect((await server.gql(UPDATE_PROFILE, { input }, user.token)).errors).toBeUndefined();
}

/** Both parts of `mail` greet nobody by name, and hold nothing of the display name. */
function expectNameless(mail: ReceivedMail, locale: 'en' | 'ru'): void {
  expect(mail.text.split('\n')[0]).toBe(NAMELESS_GREETING[locale]);
  expect(mail.html).toContain(`<p>${NAMELESS_GREETING[locale]}</p>`);
  for (const part of [mail.text, mail.html]) {
    expect(part).not.toContain('evil.example');
    expect(part).not.toContain('Dash security');
  }
}

describe('the greeting of account mails', () => {
  for (const locale of ['en', 'ru'] as const) {
    it(`leaves the display name out of every mail to an address the account has not confirmed (${locale})`, async () => {
      const user = await registerUser(server);
      expectNameless(await nextMail(mailing.catcher, user.email, SUBJECTS.en.verify), 'en');
      await updateProfile(user, { displayName: PHISHING_NAME, locale });

      await server.gql(RESEND, {}, user.token);
      expectNameless(await nextMail(mailing.catcher, user.email, SUBJECTS[locale].verify), locale);
      await server.gql(REQUEST_RESET, { login: user.username });
      expectNameless(await nextMail(mailing.catcher, user.email, SUBJECTS[locale].reset), locale);

      const wanted = `${uniqueName('victim')}@example.test`;
      expect((await server.gql(REQUEST_CHANGE, { input: { newEmail: wanted, password: PASSWORD } }, user.token)).errors).toBeUndefined();
      const confirm = await nextMail(mailing.catcher, wanted, SUBJECTS[locale].confirm);
      expectNameless(confirm, locale);
      // The old address was never confirmed either.
      await server.gql(CONFIRM_CHANGE, { token: tokenOf(confirm) });
      expectNameless(await nextMail(mailing.catcher, user.email, SUBJECTS[locale].changed), locale);
    });
  }

  it('greets the account’s confirmed address by the display name, in both languages and parts', async () => {
    const user = await registerUser(server);
    const name = 'Ада & Lovelace';
    expect((await server.gql(VERIFY, { token: tokenOf(await nextMail(mailing.catcher, user.email, SUBJECTS.en.verify)) })).errors).toBeUndefined();
    await updateProfile(user, { displayName: name });

    await server.gql(REQUEST_RESET, { login: user.username });
    const reset = await nextMail(mailing.catcher, user.email, SUBJECTS.en.reset);
    expect(reset.text.split('\n')[0]).toBe(`Hello ${name},`);
    expect(reset.html).toContain('<p>Hello Ада &#38; Lovelace,</p>');

    await updateProfile(user, { locale: 'ru' });
    await server.gql(REQUEST_RESET, { login: user.username });
    const token = tokenOf(await nextMail(mailing.catcher, user.email, SUBJECTS.ru.reset));
    expect((await server.gql(RESET, { input: { token, newPassword: 'a brand new passphrase' } })).errors).toBeUndefined();
    const notice = await nextMail(mailing.catcher, user.email, SUBJECTS.ru.password);
    expect(notice.text.split('\n')[0]).toBe(`Здравствуйте, ${name}!`);
    expect(notice.html).toContain('<p>Здравствуйте, Ада &#38; Lovelace!</p>');
  });
});

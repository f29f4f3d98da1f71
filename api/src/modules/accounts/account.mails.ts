/**
 * The mails of the account's life, in English and Russian: each has a plain-text and an
 * HTML part. Links are built by the caller from PUBLIC_URL, never from a request's Host.
 */
export type MailLocale = 'en' | 'ru';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/** The recipient's language when we have mails in it, else English. */
export function mailLocale(locale: string | null | undefined): MailLocale {
  return locale?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Paragraphs and one button-like link, as text and as HTML. */
function compose(subject: string, greeting: string, paragraphs: string[], action?: { label: string; url: string }, footer?: string): MailContent {
  const text = [greeting, '', ...paragraphs.flatMap((p) => [p, '']), ...(action ? [`${action.label}: ${action.url}`, ''] : []), ...(footer ? [footer] : [])].join('\n').trim() + '\n';
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5; color: #1d1b20">',
    `<p>${escapeHtml(greeting)}</p>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(action
      ? [`<p><a href="${escapeHtml(action.url)}" style="display: inline-block; padding: 10px 16px; background: #1565c0; color: #fff; border-radius: 6px; text-decoration: none">${escapeHtml(action.label)}</a></p>`, `<p style="font-size: 12px; color: #555">${escapeHtml(action.url)}</p>`]
      : []),
    ...(footer ? [`<p style="font-size: 12px; color: #555">${escapeHtml(footer)}</p>`] : []),
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

/**
 * The greeting, by the account's display name when there is one to use. It is left out of
 * mails to an address the account has not confirmed: whoever registers or asks for a change
 * chooses both that address and the name, which would reach a stranger word for word.
 */
const hello = {
  en: (name: string | null) => (name === null ? 'Hello,' : `Hello ${name},`),
  ru: (name: string | null) => (name === null ? 'Здравствуйте!' : `Здравствуйте, ${name}!`),
};
const ignore = {
  en: 'If you did not ask for this, ignore this mail: nothing changes.',
  ru: 'Если вы этого не просили, просто не отвечайте на это письмо: ничего не изменится.',
};

/**
 * The link that confirms an address: at registration, and again on request. The address is
 * not confirmed yet, so the mail names nobody (see {@link hello}).
 */
export function verifyEmailMail(locale: MailLocale, url: string): MailContent {
  return locale === 'ru'
    ? compose('Подтвердите адрес почты в Dash', hello.ru(null), ['Подтвердите, что этот адрес ваш: так вы сможете восстановить пароль, если забудете его.'], { label: 'Подтвердить адрес', url }, ignore.ru)
    : compose('Confirm your email for Dash', hello.en(null), ['Confirm that this address is yours, so that you can reset your password if you forget it.'], { label: 'Confirm my email', url }, ignore.en);
}

/** The single-use link to set a new password; `name` is null unless the address is the account's, confirmed. */
export function resetPasswordMail(locale: MailLocale, name: string | null, url: string, minutes: number): MailContent {
  return locale === 'ru'
    ? compose('Сброс пароля Dash', hello.ru(name), [`Кто-то (надеемся, вы) попросил сбросить пароль вашей учётной записи Dash. Ссылка действует ${minutes} минут и только один раз.`], { label: 'Задать новый пароль', url }, ignore.ru)
    : compose('Reset your Dash password', hello.en(name), [`Someone (we hope you) asked to reset the password of your Dash account. The link works once, for ${minutes} minutes.`], { label: 'Set a new password', url }, ignore.en);
}

/** To the new address of an email change: the link confirms it. Like {@link verifyEmailMail}, it names nobody. */
export function confirmNewEmailMail(locale: MailLocale, url: string): MailContent {
  return locale === 'ru'
    ? compose('Подтвердите новый адрес почты в Dash', hello.ru(null), ['Вы попросили сменить адрес почты вашей учётной записи Dash на этот. Он заменит прежний, когда вы перейдёте по ссылке.'], { label: 'Подтвердить новый адрес', url }, ignore.ru)
    : compose('Confirm your new email for Dash', hello.en(null), ['You asked to change the email of your Dash account to this address. It replaces the old one once you follow the link.'], { label: 'Confirm the new address', url }, ignore.en);
}

/** To the old address, once an email change is confirmed; `name` as for {@link resetPasswordMail}. */
export function emailChangedMail(locale: MailLocale, name: string | null, newAddress: string): MailContent {
  return locale === 'ru'
    ? compose('Адрес почты в Dash изменён', hello.ru(name), [`Адрес почты вашей учётной записи Dash теперь ${newAddress}. Если это сделали не вы, смените пароль и напишите администратору сервера.`])
    : compose('Your Dash email was changed', hello.en(name), [`The email of your Dash account is now ${newAddress}. If this was not you, change your password and tell the server's administrator.`]);
}

/** To the account's address whenever its password changes (by the person or by a reset); `name` as for {@link resetPasswordMail}. */
export function passwordChangedMail(locale: MailLocale, name: string | null): MailContent {
  return locale === 'ru'
    ? compose('Пароль Dash изменён', hello.ru(name), ['Пароль вашей учётной записи Dash изменён, и все остальные сеансы завершены. Если это сделали не вы, восстановите пароль и напишите администратору сервера.'])
    : compose('Your Dash password was changed', hello.en(name), ['The password of your Dash account was changed, and every other session was signed out. If this was not you, reset your password and tell the server\'s administrator.']);
}

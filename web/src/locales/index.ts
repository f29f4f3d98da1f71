import en from './en';
import ru from './ru';

export const messages = { en, ru };

export type Locale = keyof typeof messages;
export type MessageSchema = typeof en;

export const locales = Object.keys(messages) as Locale[];

/** Each language's name in itself, for the language switch. */
export const localeNames: Record<Locale, string> = { en: 'English', ru: 'Русский' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.hasOwn(messages, value);
}

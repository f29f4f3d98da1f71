/** English strings; the source of truth for the message keys (`ru.ts` must match its shape). */
import list from './en/list';
import conversation from './en/conversation';
import account from './en/account';
import recovery from './en/recovery';
import security from './en/security';
import media from './en/media';

export default {
  list,
  conversation,
  account,
  recovery,
  security,
  media,
  app: {
    name: 'Dash',
    language: 'Language',
  },
  login: {
    title: 'Sign in to Dash',
    login: 'User name or email',
    password: 'Password',
    showPassword: 'Show password',
    hidePassword: 'Hide password',
    submit: 'Sign in',
    required: 'Required',
    tooLong: 'At most {max} characters',
    forgot: 'Forgot password?',
  },
  notFound: {
    title: 'Page not found',
    text: 'There is nothing at {path}.',
    home: 'Back to Dash',
  },
  errors: {
    network: 'Cannot reach the server. Check your connection and try again.',
    unknown: 'Something went wrong. Please try again.',
    rateLimited: 'Too many attempts. Try again {when}.',
    rateLimitedLater: 'Too many attempts. Try again later.',
  },
};

/** English strings; the source of truth for the message keys (`ru.ts` must match its shape). */
import list from './en/list';
import conversation from './en/conversation';
import account from './en/account';

export default {
  list,
  conversation,
  account,
  app: {
    name: 'Dash',
    darkTheme: 'Switch to dark theme',
    lightTheme: 'Switch to light theme',
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
  },
  home: {
    title: 'You are signed in',
    logout: 'Log out',
    loading: 'Loading your profile…',
  },
  notFound: {
    title: 'Page not found',
    text: 'There is nothing at {path}.',
    home: 'Go to the start page',
  },
  errors: {
    network: 'Cannot reach the server. Check your connection and try again.',
    unknown: 'Something went wrong. Please try again.',
  },
};

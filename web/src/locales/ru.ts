import type en from './en';
import list from './ru/list';
import conversation from './ru/conversation';
import account from './ru/account';
import recovery from './ru/recovery';
import security from './ru/security';
import media from './ru/media';

/** Russian strings; typed against `en.ts` so a missing key fails the type check. */
const ru: typeof en = {
  list,
  conversation,
  account,
  recovery,
  security,
  media,
  app: {
    name: 'Dash',
    language: 'Язык',
  },
  login: {
    title: 'Вход в Dash',
    login: 'Имя пользователя или email',
    password: 'Пароль',
    showPassword: 'Показать пароль',
    hidePassword: 'Скрыть пароль',
    submit: 'Войти',
    required: 'Обязательное поле',
    tooLong: 'Не больше {max} символов',
    forgot: 'Забыли пароль?',
  },
  notFound: {
    title: 'Страница не найдена',
    text: 'По адресу {path} ничего нет.',
    home: 'Вернуться в Dash',
  },
  errors: {
    network: 'Сервер недоступен. Проверьте подключение и попробуйте ещё раз.',
    unknown: 'Что-то пошло не так. Попробуйте ещё раз.',
    rateLimited: 'Слишком много попыток. Попробуйте снова {when}.',
    rateLimitedLater: 'Слишком много попыток. Попробуйте позже.',
  },
};

export default ru;

import { describe, expect, it } from 'vitest';
import { afterLoginPath, loginRoute } from './redirect';

describe('loginRoute', () => {
  it('remembers where the visitor was going', () => {
    expect(loginRoute('/c/42?tab=media')).toEqual({ name: 'login', query: { redirect: '/c/42?tab=media' } });
  });

  it('remembers nothing for the start page', () => {
    expect(loginRoute('/')).toEqual({ name: 'login' });
  });
});

describe('afterLoginPath', () => {
  it('returns to a path inside the app', () => {
    expect(afterLoginPath('/c/42')).toBe('/c/42');
  });

  it.each([undefined, null, '', 'c/42', '//evil.example/x', '/\\evil.example', 'https://evil.example', ['/c/42']])(
    'goes home for %j',
    (redirect) => {
      expect(afterLoginPath(redirect)).toBe('/');
    },
  );
});

import type { RouteLocationRaw } from 'vue-router';

/** The login page, remembering where to come back to (nothing to remember for home). */
export function loginRoute(returnTo: string): RouteLocationRaw {
  return returnTo === '/' ? { name: 'login' } : { name: 'login', query: { redirect: returnTo } };
}

/** Where to go after signing in: the remembered in-app path, else home. */
export function afterLoginPath(redirect: unknown): string {
  // Only a path inside the app: `//host/…` and `/\host/…` would leave it.
  return typeof redirect === 'string' && /^\/(?![/\\])/.test(redirect) ? redirect : '/';
}

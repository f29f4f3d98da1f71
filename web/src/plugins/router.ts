import { watch, type App } from 'vue';
import { createRouter, createWebHistory } from 'vue-router';
import { useSessionStore } from '../composables/useSession';
import { afterLoginPath, loginRoute } from '../utils/redirect';

declare module 'vue-router' {
  interface RouteMeta {
    /** Only with a session; others go to the login page. */
    requiresSession?: boolean;
    /** Only without a session (the login page); others go home. */
    guestOnly?: boolean;
  }
}

const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/chats' },
    { path: '/chats/:id?', name: 'chats', component: () => import('../pages/ChatsPage.vue'), meta: { requiresSession: true } },
    { path: '/settings', name: 'settings', component: () => import('../pages/SettingsPage.vue'), meta: { requiresSession: true } },
    { path: '/stickers/:slug', name: 'sticker-pack', component: () => import('../pages/StickerPackPage.vue'), props: true, meta: { requiresSession: true } },
    { path: '/help', name: 'help', component: () => import('../pages/HelpPage.vue') },
    { path: '/login', name: 'login', component: () => import('../pages/LoginPage.vue'), meta: { guestOnly: true } },
    { path: '/register', name: 'register', component: () => import('../pages/RegisterPage.vue'), meta: { guestOnly: true } },
    { path: '/recover', name: 'recover', component: () => import('../pages/RecoverPage.vue'), meta: { guestOnly: true } },
    // Mailed links work signed in or not (a reset replaces whatever session there was).
    { path: '/reset-password', name: 'reset-password', component: () => import('../pages/ResetPasswordPage.vue') },
    { path: '/verify-email', name: 'verify-email', component: () => import('../pages/EmailLinkPage.vue'), props: { purpose: 'verify' } },
    { path: '/confirm-email', name: 'confirm-email', component: () => import('../pages/EmailLinkPage.vue'), props: { purpose: 'confirm' } },
    { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('../pages/NotFoundPage.vue') },
  ],
});

/** Guards the routes by session; needs Pinia installed first. */
export function install(app: App): void {
  const session = useSessionStore();

  router.beforeEach((to) => {
    if (to.meta.requiresSession && !session.isSignedIn) return loginRoute(to.fullPath);
    if (to.meta.guestOnly && session.isSignedIn) return afterLoginPath(to.query.redirect);
    return true;
  });

  // A session can end or start while a page is open: logout, a rejected token, another tab.
  watch(
    () => session.isSignedIn,
    (signedIn) => {
      const current = router.currentRoute.value;
      if (!signedIn && current.meta.requiresSession) void router.replace(loginRoute(current.fullPath));
      if (signedIn && current.meta.guestOnly) void router.replace(afterLoginPath(current.query.redirect));
    },
  );

  app.use(router);
}

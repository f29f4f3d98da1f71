import type { App } from 'vue';
import { createPinia } from 'pinia';

/** Pinia holds the session only; server data lives in Apollo's cache. */
export function install(app: App): void {
  app.use(createPinia());
}

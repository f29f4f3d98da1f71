import type { App } from 'vue';
import { createI18n } from 'vue-i18n';
import { en as vuetifyEn, ru as vuetifyRu } from 'vuetify/locale';
import { messages } from '../locales';
import { initialLocale } from '../composables/useLocale';

const locale = initialLocale();

/** Our strings plus Vuetify's own (under `$vuetify`), so one switch changes both. */
export const i18n = createI18n({
  legacy: false,
  locale,
  fallbackLocale: 'en',
  messages: {
    en: { ...messages.en, $vuetify: vuetifyEn },
    ru: { ...messages.ru, $vuetify: vuetifyRu },
  },
});

export function install(app: App): void {
  document.documentElement.lang = locale;
  app.use(i18n);
}

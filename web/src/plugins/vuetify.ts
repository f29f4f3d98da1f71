import type { App } from 'vue';
import { createVuetify } from 'vuetify';
import { createVueI18nAdapter } from 'vuetify/locale/adapters/vue-i18n';
import { aliases, mdi } from 'vuetify/iconsets/mdi-svg';
import { useI18n } from 'vue-i18n';
import 'vuetify/styles';
import '@fontsource/roboto/400.css';
import '@fontsource/roboto/500.css';
import '@fontsource/roboto/700.css';
import '../styles/focus.css';
import { i18n } from './i18n';
import { storedTheme } from '../composables/useThemePreference';

/** The adapter types its instance with `string` locales; ours narrows them to `'en' | 'ru'`. */
type AdapterI18n = Parameters<typeof createVueI18nAdapter>[0]['i18n'];

/**
 * The nonce the API gave this page (Vite's <meta property="csp-nonce">): the Content-Security-Policy
 * lets in no inline style without it, and Vuetify writes its theme into a <style> element.
 * Read from the property: browsers hide the attribute's value (nonce hiding).
 */
function styleNonce(): string | undefined {
  return document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;
}

/**
 * Components are imported where used (vite-plugin-vuetify `autoImport`); icons are
 * inline SVG paths from `@mdi/js`, so nothing loads from a CDN.
 */
export function install(app: App): void {
  app.use(
    createVuetify({
      locale: { adapter: createVueI18nAdapter({ i18n: i18n as unknown as AdapterI18n, useI18n }) },
      icons: { defaultSet: 'mdi', aliases, sets: { mdi } },
      theme: {
        defaultTheme: storedTheme(),
        cspNonce: styleNonce(),
        // Secondary text (field labels, hints, list subtitles) at Vuetify's 0.60 came out at 4:1 on
        // the light theme's surfaces (axe, issue #15): 0.72 gives 6:1. The dark theme passes as is.
        themes: { light: { variables: { 'medium-emphasis-opacity': 0.72 } } },
      },
    }),
  );
}

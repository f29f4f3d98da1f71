import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import vuetify from 'vite-plugin-vuetify';
import { precompress } from './scripts/precompress';

/** Where `npm run dev -w api` listens; the dev server forwards API paths there so the app stays same-origin. */
const api = 'http://localhost:4000';

export default defineConfig(({ mode }) => ({
  plugins: [vue(), vuetify({ autoImport: true }), precompress()],
  html: {
    // The API replaces this with a fresh nonce in each response (api/src/app/web-client.ts);
    // Vite puts it on its tags and in <meta property="csp-nonce">, where plugins/vuetify.ts reads it.
    cspNonce: '__CSP_NONCE__',
  },
  define: {
    // Apollo Client's development checks and deprecation warnings stay out of production.
    'globalThis.__DEV__': JSON.stringify(mode !== 'production'),
    // vue-i18n's bundler build: Composition API only, no devtools hooks in production.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/media': api,
      '/healthz': api,
      '/readyz': api,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Fonts stay files: font-src needs no data:, and the CSS does not carry every subset
    // inline when a page only uses one or two (the browser fetches those by unicode-range).
    assetsInlineLimit: (file) => (/\.woff2?$/.test(file) ? false : undefined),
    rolldownOptions: {
      output: {
        // Libraries in their own chunks: stable names and hashes across our own releases.
        codeSplitting: {
          groups: [
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify)[\\/]/ },
            { name: 'vuetify', test: /node_modules[\\/](vuetify|@vuetify)[\\/]/ },
            { name: 'apollo', test: /node_modules[\\/](@apollo|@wry|graphql|graphql-tag|optimism|zen-observable-ts)[\\/]/ },
          ],
        },
      },
    },
  },
}));

import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import vuetify from 'vite-plugin-vuetify';

/** Where `npm run dev -w api` listens; the dev server forwards API paths there so the app stays same-origin. */
const api = 'http://localhost:4000';

export default defineConfig(({ mode }) => ({
  plugins: [vue(), vuetify({ autoImport: true })],
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
      '/healthz': api,
      '/readyz': api,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
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

/**
 * The GraphQL playground (GraphiQL, React, Monaco): its own entry, built after the app into
 * dist/playground/ and served by the API at /playground and /graphql (api/src/app/playground.ts).
 * Nothing of it enters the messenger's bundle, and nothing of the messenger enters it.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompress } from './scripts/precompress';

export default defineConfig({
  root: fileURLToPath(new URL('./playground', import.meta.url)),
  base: '/playground/',
  publicDir: false,
  plugins: [precompress()],
  html: {
    // Filled in by the API for each response, as for the app (see vite.config.ts).
    cspNonce: '__CSP_NONCE__',
  },
  // Monaco's workers (playground/monaco-workers.ts) import modules of their own: ES module workers.
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist/playground', import.meta.url)),
    // Only dist/playground: the app's build, which runs first, owns the rest of dist.
    emptyOutDir: true,
    // Fonts, Monaco's icon font included, stay files: the playground's font-src is 'self' alone.
    assetsInlineLimit: (file) => (/\.(woff2?|ttf)$/.test(file) ? false : undefined),
    // Monaco alone is a few megabytes; it is loaded after the page shows, and only here.
    chunkSizeWarningLimit: 5000,
    rolldownOptions: {
      // Radix marks its modules "use client", which means something to server components only.
      onLog(level, log, handler) {
        if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log);
      },
    },
  },
});

/**
 * A Vite plugin that writes brotli and gzip copies next to the built text assets
 * (`x.js.br`, `x.js.gz`), which the API sends as they are (express-static-gzip). Made once
 * at build time, at the highest levels: brotli 11 is too slow to run on each request.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Text that compresses, and TrueType fonts (Monaco's icons in the playground); woff and woff2
 * are compressed inside already. index.html is left out: the API fills in its nonce for each response.
 */
const COMPRESSIBLE = /\.(js|css|svg|json|txt|ttf)$/;
/** Below this a compressed copy saves less than its headers cost. */
const MIN_BYTES = 1024;

/** Writes `.br` and `.gz` beside each compressible file of the bundle. */
export function precompress(): Plugin {
  return {
    name: 'dash:precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const outDir = options.dir ?? '';
      await Promise.all(
        Object.keys(bundle)
          .filter((fileName) => COMPRESSIBLE.test(fileName))
          .map(async (fileName) => {
            const file = path.join(outDir, fileName);
            const content = await readFile(file);
            if (content.length < MIN_BYTES) return;
            const [br, gz] = await Promise.all([
              brotli(content, {
                params: {
                  [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
                  [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
                },
              }),
              gzipAsync(content, { level: constants.Z_BEST_COMPRESSION }),
            ]);
            await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
          }),
      );
    },
  };
}

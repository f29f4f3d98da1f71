/**
 * GraphQL Code Generator: the types of every operation and fragment the client sends, from
 * schema.graphql and the gql documents under src/, into one file of types only
 * (src/graphql/generated.ts; no runtime code). `npm run codegen -w web` writes it;
 * src/graphql/generated.test.ts fails when it is stale.
 *
 * `typescript-operations` alone: since its version 6 it also emits the enums and input types
 * the operations use (and only those), so the `typescript` plugin is not needed — together
 * they would declare those types twice.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

/** Where the generated types go, relative to web/. */
export const GENERATED_FILE = 'src/graphql/generated.ts';

const config: CodegenConfig = {
  schema: '../schema.graphql',
  // gql`…` templates, and the /* GraphQL */ texts of events.documents.ts.
  documents: ['src/**/*.{ts,vue}', '!src/**/*.test.ts', `!${GENERATED_FILE}`],
  generates: {
    [GENERATED_FILE]: {
      plugins: ['typescript-operations'],
      config: {
        // DateTimeISO stays the ISO 8601 string it is on the wire: no type policy turns it into a Date.
        scalars: { DateTimeISO: 'string', ID: 'string' },
      },
    },
  },
  // A gql template that does not parse fails generation instead of being silently left out.
  noSilentErrors: true,
};

export default config;

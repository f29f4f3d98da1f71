/**
 * `npm run schema:check`: the API's contract (schema.graphql) against its clients and its past.
 *
 * - documents: every operation the web client (web/src) and the example client (examples/)
 *   send is valid against schema.graphql and within the server's own limits;
 * - breaking: no breaking change since the last release goes unannounced in
 *   docs/schema-changes.md (see breaking.ts for what is compared).
 *
 * `--documents` or `--breaking` runs one of them (`npm test` runs `--breaking`: vitest
 * checks the documents); `--root <dir>` checks another checkout. Exits 1 when a check fails,
 * saying what to fix.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema } from 'graphql';
import { CHANGE_NOTES, SCHEMA_FILE, changesAlong, schemaHistory, unannounced } from './breaking.js';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function checkDocuments(root: string): Promise<boolean> {
  // Loaded here: the breaking-change check alone needs neither TypeScript's parser nor the API's rules.
  const { CLIENT_FOLDERS, findDocuments, validateDocuments } = await import('./documents.js');
  const { operationRules } = await import('../../api/src/core/limits.js');
  const schema = buildSchema(readFileSync(path.join(root, SCHEMA_FILE), 'utf8'));
  const { documents, problems } = findDocuments(root, CLIENT_FOLDERS);
  const invalid = [...problems, ...validateDocuments(schema, documents, operationRules({ introspection: true }))];
  if (invalid.length === 0) {
    console.log(`schema check: the ${documents.length} documents in ${CLIENT_FOLDERS.join(' and ')} are valid against ${SCHEMA_FILE}`);
    return true;
  }
  console.log(`schema check: ${invalid.length} problem(s) in the documents clients send:`);
  for (const problem of invalid) console.log(`  ✗ ${problem.file}:${problem.line}${problem.name ? ` (${problem.name})` : ''}: ${problem.message}`);
  return false;
}

function checkBreaking(root: string): boolean {
  const { baseline, versions, shallow } = schemaHistory(root);
  const { breaking, dangerous } = changesAlong(versions);
  const notesFile = path.join(root, CHANGE_NOTES);
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '';
  const missing = unannounced(breaking, notes);
  console.log(`schema check: ${SCHEMA_FILE} since ${baseline}: ${versions.length} version(s), ${breaking.length} breaking change(s)`);
  if (shallow) console.log('  (a shallow clone: only the versions in its history were compared; fetch the whole history to compare all)');
  for (const change of dangerous) console.log(`  ! ${change.step}: ${change.description} (${change.type}; clients that switch on every value should expect more)`);
  for (const change of breaking) {
    const named = !missing.includes(change);
    console.log(`  ${named ? '✓' : '✗'} ${change.step}: ${change.description} (${change.type})${named ? ` — announced in ${CHANGE_NOTES}` : ''}`);
  }
  if (missing.length === 0) return true;
  console.log(`\nschema check: ${missing.length} breaking change(s) not announced. Other clients break on them: keep the old field (mark it`);
  console.log(`@deprecated with what to use instead), or, if it must go, name each in ${CHANGE_NOTES} with what clients should do:`);
  for (const change of missing) console.log(`  - \`${change.coordinate}\`: ${change.description}`);
  return false;
}

const root = path.resolve(option('--root') ?? fileURLToPath(new URL('../..', import.meta.url)));
const only = process.argv.includes('--documents') ? 'documents' : process.argv.includes('--breaking') ? 'breaking' : null;
let passed = true;
if (only !== 'breaking') passed = (await checkDocuments(root)) && passed;
if (only !== 'documents') passed = checkBreaking(root) && passed;
process.exit(passed ? 0 : 1);

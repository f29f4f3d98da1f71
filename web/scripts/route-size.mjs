// Prints the size of the JavaScript a route loads in the built app (web/dist) as a browser
// receives it: the brotli copy the build wrote (scripts/precompress.ts) and the API sends,
// or the file itself when it has none. The entry chunk, the route's page chunk, and every
// chunk they import statically.
// Usage: node scripts/route-size.mjs [PageName=LoginPage] [budgetKB=260]
// Exits 1 over the budget, so CI can hold the line.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const page = process.argv[2] ?? 'LoginPage';
const budgetKB = Number(process.argv[3] ?? 260);
const assets = fileURLToPath(new URL('../dist/assets/', import.meta.url));
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

const files = readdirSync(assets).filter((file) => file.endsWith('.js'));
/** Bytes on the wire: the brotli copy when there is one. */
const sent = (file) => statSync(existsSync(`${assets}${file}.br`) ? `${assets}${file}.br` : `${assets}${file}`).size;
const entry = /<script type="module"[^>]*src="\/assets\/([^"]+)"/.exec(readFileSync(`${dist}index.html`, 'utf8'))?.[1];
const pageChunk = files.find((file) => file.startsWith(`${page}-`));
if (!entry || !pageChunk) throw new Error(`Cannot find the entry or the ${page} chunk in ${assets}; build first.`);

const loaded = new Set();
function visit(file) {
  if (loaded.has(file)) return;
  loaded.add(file);
  const code = readFileSync(`${assets}${file}`, 'utf8');
  for (const [, imported] of code.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) visit(imported);
}
visit(entry);
visit(pageChunk);

let total = 0;
for (const file of [...loaded].sort()) {
  const size = sent(file);
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(8)} KB  ${file}`);
}
console.log(`${(total / 1024).toFixed(1).padStart(8)} KB  brotli, JS loaded by ${page} (budget ${budgetKB} KB)`);
process.exit(total > budgetKB * 1024 ? 1 : 0);

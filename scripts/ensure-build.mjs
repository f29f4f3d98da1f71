// Before `npm start`: build the web client when web/dist is missing or older than its
// sources, so a fresh checkout serves the app and a second start is instant.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// The playground is built after the app (web's `build` script): its page is the last to appear.
const built = path.join(root, 'web', 'dist', 'playground', 'index.html');

function newest(entry) {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(entry).map((name) => newest(path.join(entry, name))));
}

const sources = ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'web/playground', 'web/vite.playground.config.ts', 'package-lock.json']
  .map((p) => path.join(root, p))
  .filter(existsSync);

if (!existsSync(built) || Math.max(...sources.map(newest)) > statSync(built).mtimeMs) {
  console.log('Building the web client (web/dist)…');
  const result = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

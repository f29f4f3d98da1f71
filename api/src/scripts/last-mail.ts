/**
 * `npm run mail:last`: the newest mail the server wrote to DATA_DIR/mail/ (no SMTP_URL set),
 * printed to this terminal — its recipient, subject and text, links included — for a laptop
 * install with no mail program at hand. `-- 3` prints the three newest.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { loadConfigOrExit } from '../config/env.js';

const config = loadConfigOrExit();
const folder = path.join(config.dataDir, 'mail');
const count = Math.max(1, Number(process.argv[2]) || 1);
const files = await readdir(folder).then(
  (names) => names.filter((name) => name.endsWith('.eml')).sort(),
  () => [],
);
if (files.length === 0) {
  console.log(`No mail in ${folder} yet.${config.mail.smtpUrl ? ' (SMTP_URL is set: mail goes to that server instead.)' : ''}`);
  process.exit(0);
}
for (const name of files.slice(-count)) {
  const mail = await simpleParser(await readFile(path.join(folder, name)));
  const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
  console.log(`── ${name}\nTo: ${to}\nSubject: ${mail.subject ?? ''}\n\n${(mail.text ?? '').trim()}\n`);
}

/**
 * db:reset's question. A reset drops every user, conversation and message, so it asks on a
 * terminal; without one (a script, CI) it drops nothing unless given --force.
 */
import { createInterface } from 'node:readline';

export interface ConfirmResetOptions {
  /** `--force` was given: no question. */
  force: boolean;
  /** Where the answer comes from; without a terminal there is no question. @default process.stdin */
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where the question and the refusal go. @default process.stderr */
  output?: NodeJS.WritableStream;
}

/** Whether to drop `target` (as describeDatabase words it): yes with --force, else "yes" typed on a terminal. */
export async function confirmReset(target: string, { force, input = process.stdin, output = process.stderr }: ConfirmResetOptions): Promise<boolean> {
  if (force) return true;
  if (!input.isTTY) {
    output.write(`db:reset would drop everything in ${target}, and there is no terminal to ask on: nothing was dropped.\n`);
    output.write('To reset without the question: npm run db:reset -- --force\n');
    return false;
  }
  const lines = createInterface({ input, output });
  const answer = await new Promise<string>((resolve) => {
    // Ctrl+D or Ctrl+C closes the input without an answer: that is a no.
    lines.once('close', () => resolve(''));
    lines.question(`db:reset drops every user, conversation and message in ${target}.\nType "yes" to go on: `, resolve);
  });
  lines.close();
  const confirmed = answer.trim().toLowerCase() === 'yes';
  if (!confirmed) output.write('Nothing was dropped.\n');
  return confirmed;
}

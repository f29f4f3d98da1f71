import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { confirmReset } from './confirm-reset.js';

const TARGET = 'the embedded database in /srv/dash/.data/pglite';

function streams(terminal: boolean) {
  const input = Object.assign(new PassThrough(), { isTTY: terminal });
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString()));
  return { input, output, written: () => written };
}

/** Asks on a fake terminal; `reply` is what the person types once the question is shown, or null for Ctrl+D. */
async function ask(reply: string | null): Promise<{ confirmed: boolean; written: string }> {
  const { input, output, written } = streams(true);
  output.once('data', () => (reply === null ? input.end() : input.write(`${reply}\n`)));
  const confirmed = await confirmReset(TARGET, { force: false, input, output });
  return { confirmed, written: written() };
}

describe('confirmReset', () => {
  it('asks on a terminal, naming what it drops, and goes on only on "yes"', async () => {
    const yes = await ask(' YES ');
    expect(yes.confirmed).toBe(true);
    expect(yes.written).toContain(`drops every user, conversation and message in ${TARGET}`);

    for (const reply of ['y', 'no', '', null]) {
      const declined = await ask(reply);
      expect(declined.confirmed).toBe(false);
      expect(declined.written).toContain('Nothing was dropped.');
    }
  });

  it('without a terminal refuses, naming --force', async () => {
    const { input, output, written } = streams(false);
    expect(await confirmReset(TARGET, { force: false, input, output })).toBe(false);
    expect(written()).toContain(`would drop everything in ${TARGET}`);
    expect(written()).toContain('npm run db:reset -- --force');
  });

  it('with --force asks nothing', async () => {
    const { input, output, written } = streams(true);
    expect(await confirmReset(TARGET, { force: true, input, output })).toBe(true);
    expect(written()).toBe('');
  });
});

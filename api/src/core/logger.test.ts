import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture(production: boolean) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', production, destination }), lines };
}

function databaseError(): Error {
  const error = new Error('Invalid `prisma.user.create()` invocation:\nINSERT INTO "users" VALUES (\'secret@example.test\', \'$argon2id$...\')');
  Object.assign(error, { name: 'PrismaClientKnownRequestError', code: 'P2002' });
  return error;
}

describe('logger', () => {
  it('logs errors without stack, SQL or values in production', () => {
    const { logger, lines } = capture(true);
    logger.error({ err: databaseError() }, 'unexpected error');
    const text = JSON.stringify(lines);
    expect(lines[0]).toMatchObject({ msg: 'unexpected error', err: { type: 'PrismaClientKnownRequestError', code: 'P2002', message: 'Invalid `prisma.user.create()` invocation:' } });
    expect(text).not.toContain('INSERT');
    expect(text).not.toContain('secret@example.test');
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('keeps the stack in development', () => {
    const { logger, lines } = capture(false);
    logger.error({ err: databaseError() }, 'unexpected error');
    expect((lines[0]!.err as { stack: string }).stack).toMatch(/logger\.test\.ts/);
  });

  it('redacts tokens and passwords wherever they are logged', () => {
    const { logger, lines } = capture(true);
    logger.info({ token: 'dsh_abc', input: { password: 'hunter22' }, headers: { authorization: 'Bearer dsh_abc' } }, 'request');
    expect(JSON.stringify(lines)).not.toMatch(/dsh_abc|hunter22/);
  });
});

/** Structured logging (pino). Secrets never reach it: see `redact`. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['token', '*.token', 'password', '*.password', 'authorization', '*.authorization', 'headers.authorization', 'connectionParams'],
      censor: '[redacted]',
    },
  });
}

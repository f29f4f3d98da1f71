/**
 * Structured logging (pino, JSON lines). Secrets never reach it: known secret fields are
 * redacted, and in production errors are logged by type, code and first line only —
 * no stack traces, and none of the SQL or values a database error may quote.
 */
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level: string;
  production: boolean;
  /** Where the lines go. @default stdout */
  destination?: DestinationStream;
}

function productionError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    message: (error.message.split('\n')[0] ?? '').slice(0, 200),
  };
}

export function createLogger({ level, production, destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      serializers: { err: production ? productionError : stdSerializers.err },
      redact: {
        paths: ['token', '*.token', 'password', '*.password', 'authorization', '*.authorization', 'headers.authorization', 'connectionParams'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/**
 * Structured logging (pino, JSON lines). Secrets never reach it: known secret fields are
 * redacted; errors are reduced to what cannot quote a request (no `body`, headers or
 * params an error object may carry, no JSON parser message, which quotes its input);
 * and in production errors are logged by type, code and first line only — no stack
 * traces, and none of the SQL or values a database error may quote.
 */
import { format } from 'node:util';
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level: string;
  production: boolean;
  /** Where the lines go. @default stdout */
  destination?: DestinationStream;
}

/** Properties that libraries hang on errors and that may hold a request's content. */
const REQUEST_PROPERTIES = ['body', 'rawBody', 'headers', 'request', 'req', 'response', 'res', 'params', 'variables', 'config', 'input'];

/** JSON.parse's messages quote the text they failed on: a request body, perhaps with a password. */
function messageOf(error: Error): string {
  return error instanceof SyntaxError ? 'SyntaxError (message not logged: it may quote its input)' : error.message;
}

function productionError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    message: (messageOf(error).split('\n')[0] ?? '').slice(0, 200),
  };
}

function developmentError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const serialized: Record<string, unknown> = { ...stdSerializers.err(error) };
  for (const property of REQUEST_PROPERTIES) delete serialized[property];
  if (error instanceof SyntaxError) {
    serialized.message = messageOf(error);
    serialized.stack = String(serialized.stack).split('\n').slice(1).join('\n');
  }
  return serialized;
}

export function createLogger({ level, production, destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      serializers: { err: production ? productionError : developmentError },
      redact: {
        paths: ['token', '*.token', 'password', '*.password', 'authorization', '*.authorization', 'headers.authorization', 'connectionParams'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/**
 * Sends what libraries print with `console.*` to the log as JSON lines, errors through
 * the same serializer, so no line of the process's output is anything but one JSON
 * object. A safety net: our own code logs through the logger.
 */
export function routeConsoleToLogger(logger: Logger): void {
  const child = logger.child({ source: 'console' });
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const error = args.find((arg): arg is Error => arg instanceof Error);
    const text = format(...args.filter((arg) => !(arg instanceof Error)));
    if (error) child[level]({ err: error }, text);
    else child[level](text);
  };
  console.debug = write('debug');
  console.log = write('info');
  console.info = write('info');
  console.warn = write('warn');
  console.error = write('error');
}

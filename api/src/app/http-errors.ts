/**
 * HTTP-level failures as JSON with a stable code, in every mode: a body the JSON parser
 * refused, one too large, an unsupported charset or encoding, and anything else that
 * reached Express's end. Nothing of the request (its body above all: a login body cut
 * short carries a password) goes to the response or the log.
 */
import type { ErrorRequestHandler, Response } from 'express';
import { ErrorCode } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/** What body-parser and its stream reader attach to their errors. */
interface HttpError {
  status?: number;
  statusCode?: number;
  type?: string;
  limit?: number;
}

const MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON.',
  'charset.unsupported': 'Unsupported charset: send the body as UTF-8 JSON.',
  'encoding.unsupported': 'Unsupported Content-Encoding: send the body as is, gzip, deflate or br.',
  'request.aborted': 'The request was aborted before its body arrived.',
  'request.size.invalid': 'The request body does not match its Content-Length.',
};

function statusOf(error: unknown): number {
  const { status, statusCode } = (error ?? {}) as HttpError;
  const value = status ?? statusCode;
  return typeof value === 'number' && value >= 400 && value < 600 ? value : 500;
}

/** Sends `{ errors: [{ message, extensions: { code, … } }] }`, as a GraphQL error would look. */
export function sendJsonError(res: Response, status: number, code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { ...extensions, code } }] });
}

/** For /graphql, after the body parser: its refusals as GraphQL-shaped JSON. */
export function graphqlBodyErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    const status = statusOf(error);
    if (status >= 500 || res.headersSent) return next(error);
    const { type, limit } = error as HttpError;
    logger.debug({ status, type }, 'refused a GraphQL request body');
    if (status === 413) {
      const max = typeof limit === 'number' ? limit : undefined;
      const size = max ? ` of ${Math.round(max / 1024)} KB` : '';
      sendJsonError(res, 413, ErrorCode.PayloadTooLarge, `The request body is larger than the limit${size}.`, max ? { max } : {});
      return;
    }
    sendJsonError(res, status, ErrorCode.BadRequest, MESSAGES[type ?? ''] ?? 'The request body could not be read.');
  };
}

/**
 * The last handler: what no route answered with a response. Client errors (a malformed
 * URL, say) keep their status; anything else is a 500 whose cause is logged, not sent.
 */
export function finalErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = statusOf(error);
    if (status >= 500) logger.error({ err: error, method: req.method, path: req.path }, 'unexpected error in an HTTP request');
    else logger.debug({ status, path: req.path }, 'refused an HTTP request');
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    const code = status >= 500 ? ErrorCode.Internal : status === 413 ? ErrorCode.PayloadTooLarge : ErrorCode.BadRequest;
    const message = status >= 500 ? 'Something went wrong on our side.' : 'The request could not be served.';
    if (req.path.startsWith('/graphql') || !req.accepts('html')) sendJsonError(res, status, code, message);
    else res.status(status).type('text').send(message);
  };
}

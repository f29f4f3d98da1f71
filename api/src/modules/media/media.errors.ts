/**
 * How an upload is refused, in the API's codes (core/errors.ts) with the HTTP status each
 * answers with. A refused content is a BAD_USER_INPUT on the `file` field whose constraint
 * says what was wrong; a size or pixel count over its limit is PAYLOAD_TOO_LARGE with the
 * limit's name and value.
 */
import { AppError, ErrorCode } from '../../core/errors.js';

/** An AppError with the HTTP status POST /media answers it with. */
export class UploadRefused extends AppError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(code, message, extensions);
  }
}

/** The constraint names of a refused file's content, in `extensions.fields[0].constraint`. */
export const MediaConstraint = {
  /** Its bytes are not of a type the purpose takes (an image for photos, avatars and stickers). */
  type: 'mediaType',
  /** An image that does not decode: truncated or corrupt. */
  decodable: 'decodable',
  /** An image that also holds markup or script (a polyglot), which a browser could be tricked into running. */
  noMarkup: 'noMarkup',
  /** No file part in the body, or more than one. */
  oneFile: 'oneFile',
} as const;

export function badFile(status: number, constraint: string, message: string, extra: Record<string, unknown> = {}): UploadRefused {
  return new UploadRefused(status, ErrorCode.BadUserInput, message, { fields: [{ field: 'file', constraint, message }], ...extra });
}

/** Over a limit: `limit` names it (photoBytes, photoPixels, …), `max` is its value. */
export function tooLarge(limit: string, max: number, message: string): UploadRefused {
  return new UploadRefused(413, ErrorCode.PayloadTooLarge, message, { limit, max });
}

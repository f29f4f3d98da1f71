/** The rules for a message's Markdown source. */
import { badInput } from '../../core/errors.js';
import { isWellFormedText } from '../../core/text.validators.js';

export const BODY_MAX = 4000;

// C0 and C1 control characters other than tab and line feed, and the bidirectional
// overrides that can make text read differently from what it is.
const FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** Line endings made \n, outer whitespace trimmed; 1–4000 characters, no control characters, well-formed. */
export function normalizeBody(text: string, field: string): string {
  const body = text.replace(/\r\n?/g, '\n').trim();
  if (body.length === 0 || body.length > BODY_MAX) {
    throw badInput([{ field, constraint: 'isLength', message: `A message is 1–${BODY_MAX} characters long.` }]);
  }
  if (FORBIDDEN.test(body)) {
    throw badInput([{ field, constraint: 'noControlCharacters', message: 'The message contains control characters.' }]);
  }
  if (!isWellFormedText(body)) {
    throw badInput([{ field, constraint: 'isWellFormed', message: 'The message contains a character that is not valid text.' }]);
  }
  return body;
}

/** A photo or file message's caption: as {@link normalizeBody}, but it may be empty. */
export function normalizeCaption(text: string, field: string): string {
  return text.trim() === '' ? '' : normalizeBody(text, field);
}

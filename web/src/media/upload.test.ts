import { describe, expect, it } from 'vitest';
import { toClientError } from '../graphql/errors';
import { refusalOf } from './upload';

describe('refusalOf', () => {
  it('hands the API’s refusal to toClientError like any GraphQL error', () => {
    const body = JSON.stringify({ errors: [{ message: 'The upload is larger than 20 MB.', extensions: { code: 'PAYLOAD_TOO_LARGE', limit: 'photo', max: 20971520 } }] });
    expect(toClientError(refusalOf(413, body))).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'The upload is larger than 20 MB.', fields: [] });
  });

  it('keeps the fields of a refused file and the wait of a rate limit', () => {
    const refused = JSON.stringify({ errors: [{ message: 'Not an image.', extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'file', constraint: 'mediaType', message: 'Not an image.' }] } }] });
    expect(toClientError(refusalOf(415, refused)).fields).toEqual([{ field: 'file', constraint: 'mediaType', message: 'Not an image.' }]);
    const limited = JSON.stringify({ errors: [{ message: 'Slow down.', extensions: { code: 'RATE_LIMITED', retryAfter: 30 } }] });
    expect(toClientError(refusalOf(429, limited))).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 30 });
  });

  it('reads a body that is not the API’s (a proxy’s page) from its status', () => {
    expect(toClientError(refusalOf(413, '<html>Request Entity Too Large</html>')).code).toBe('PAYLOAD_TOO_LARGE');
    expect(toClientError(refusalOf(502, '')).code).toBe('UNAVAILABLE');
    expect(toClientError(refusalOf(500, 'oops')).code).toBe('INTERNAL_SERVER_ERROR');
  });
});

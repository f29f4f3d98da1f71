/**
 * The upload client: one file to `POST /media?purpose=…` (multipart, the session's bearer
 * token), over XMLHttpRequest because only it reports upload progress. A refusal rejects
 * with the API's own `{ errors }` body in the shape Apollo's `ServerError` has, so
 * `toClientError` reads its code as it reads any GraphQL refusal; no answer at all rejects
 * as `NETWORK`; a cancel rejects with {@link UploadCancelled}.
 */
import type { GraphQLFormattedError } from 'graphql';

export type UploadPurpose = 'photo' | 'file' | 'avatar' | 'sticker';

/** What the API answers an upload with: the names of GraphQL's `Media`. */
export interface UploadedMedia {
  id: string;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  name: string | null;
  placeholder: string | null;
  url: string;
  thumbnailUrl: string | null;
}

/** A refused upload, named and shaped like Apollo's `ServerError` (see graphql/errors.ts). */
export class UploadRefusedError extends Error {
  override readonly name = 'ServerError';
  constructor(
    readonly statusCode: number,
    readonly result: { errors: GraphQLFormattedError[] },
  ) {
    super(result.errors[0]?.message ?? `upload refused (HTTP ${statusCode})`);
  }
}

/** The upload was cancelled (its `signal` aborted). */
export class UploadCancelled extends Error {
  override readonly name = 'UploadCancelled';
}

export interface UploadOptions {
  token: string | null;
  /** Called with the share of the body sent so far, 0–1. */
  onProgress?: (sent: number) => void;
  signal?: AbortSignal;
  /** @default '/media' (same origin; Vite's dev server proxies it) */
  url?: string;
}

/** Reads a refusal's body; anything that is not the API's JSON becomes one error with the status. */
export function refusalOf(status: number, body: string): UploadRefusedError {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) return new UploadRefusedError(status, { errors: parsed.errors as GraphQLFormattedError[] });
  } catch {
    // Not JSON: a proxy's page, say.
  }
  const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 503 || status === 502 || status === 504 ? 'UNAVAILABLE' : 'INTERNAL_SERVER_ERROR';
  return new UploadRefusedError(status, { errors: [{ message: '', extensions: { code } }] });
}

/** Uploads one file; resolves with the stored media. */
export function uploadMedia(file: Blob, purpose: UploadPurpose, { token, onProgress, signal, url = '/media' }: UploadOptions): Promise<UploadedMedia> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new UploadCancelled());
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${url}?purpose=${purpose}`);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress?.(event.loaded / event.total);
    xhr.onload = () => {
      if (xhr.status === 201 || xhr.status === 200) {
        onProgress?.(1);
        resolve(JSON.parse(xhr.responseText) as UploadedMedia);
      } else {
        reject(refusalOf(xhr.status, xhr.responseText));
      }
    };
    // No answer: offline, the server gone, or the connection cut (also after a refusal that
    // closed it before the browser read the answer).
    xhr.onerror = () => reject(new TypeError('Failed to upload'));
    xhr.onabort = () => reject(new UploadCancelled());
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file instanceof File ? file.name : 'file');
    xhr.send(form);
  });
}

/**
 * The attachments of a message in the outbox (composables/useOutbox.ts): each one's upload,
 * progress and cancel. The outbox calls {@link uploadAttachments} at every attempt to send;
 * what is already uploaded is not sent again, so a send that waited for the connection (or
 * failed and is retried) picks up where it stopped, file by file, with the same clientMsgId.
 */
import { markRaw, reactive } from 'vue';
import { useSessionStore } from '../composables/useSession';
import { kindOf, type AttachmentKind } from './attachments';
import { UploadCancelled, uploadMedia, type UploadedMedia } from './upload';

/** A photo or file of a message on its way. */
export interface OutgoingAttachment {
  key: string;
  file: File;
  kind: AttachmentKind;
  name: string;
  bytes: number;
  /** A photo's size (orientation applied), read before sending so its place is kept. */
  width: number | null;
  height: number | null;
  /** A small picture of a photo to show until the upload answers (never a blob: URL, which the CSP refuses). */
  preview: ImageBitmap | null;
  /** Share uploaded, 0–1. */
  progress: number;
  state: 'waiting' | 'uploading' | 'uploaded' | 'failed';
  media: UploadedMedia | null;
}

/** The longest side of a photo's preview bitmap. */
const PREVIEW_SIZE = 480;

/** The uploads under way, by attachment key: a second attempt to send joins the first's. */
const running = new Map<string, { controller: AbortController; done: Promise<UploadedMedia> }>();

let nextKey = 0;

/** Reads what the tray and the pending message show of a file: its kind, and a photo's size and preview. */
export async function prepareAttachment(file: File): Promise<OutgoingAttachment> {
  const kind = kindOf(file);
  const attachment: OutgoingAttachment = {
    key: `a${++nextKey}`,
    file: markRaw(file),
    kind,
    name: file.name,
    bytes: file.size,
    width: null,
    height: null,
    preview: null,
    progress: 0,
    state: 'waiting',
    media: null,
  };
  if (kind === 'photo') {
    try {
      const full = await createImageBitmap(file);
      attachment.width = full.width;
      attachment.height = full.height;
      const scale = Math.min(1, PREVIEW_SIZE / Math.max(full.width, full.height));
      full.close();
      attachment.preview = markRaw(await createImageBitmap(file, { resizeWidth: Math.max(1, Math.round(attachment.width * scale)), resizeQuality: 'medium' }));
    } catch {
      // The browser cannot decode it: it goes as a file (the server would refuse it as a photo).
      attachment.kind = 'file';
    }
  }
  return reactive(attachment) as OutgoingAttachment;
}

/**
 * Uploads each attachment not uploaded yet, in order; resolves with the media ids of those
 * left (cancelled ones are dropped). Rejects at the first upload that fails, as its error
 * (`toClientError` reads it); those done stay done.
 */
export async function uploadAttachments(attachments: OutgoingAttachment[]): Promise<string[]> {
  for (const attachment of [...attachments]) {
    if (attachment.media || !attachments.includes(attachment)) continue;
    try {
      attachment.media = await (running.get(attachment.key)?.done ?? start(attachment));
      attachment.state = 'uploaded';
    } catch (error) {
      if (error instanceof UploadCancelled) continue;
      attachment.state = 'failed';
      throw error;
    }
  }
  return attachments.flatMap((attachment) => (attachment.media ? [attachment.media.id] : []));
}

function start(attachment: OutgoingAttachment): Promise<UploadedMedia> {
  const controller = new AbortController();
  attachment.state = 'uploading';
  attachment.progress = 0;
  const done = uploadMedia(attachment.file, attachment.kind, {
    token: useSessionStore().token,
    signal: controller.signal,
    onProgress: (sent) => (attachment.progress = sent),
  }).finally(() => running.delete(attachment.key));
  running.set(attachment.key, { controller, done });
  return done;
}

/** Cancels one attachment: its upload stops and it leaves the message. */
export function cancelAttachment(attachments: OutgoingAttachment[], key: string): void {
  const index = attachments.findIndex((attachment) => attachment.key === key);
  if (index < 0) return;
  const [removed] = attachments.splice(index, 1);
  running.get(key)?.controller.abort();
  removed?.preview?.close();
}

/** Stops every upload of a message that is dropped. */
export function cancelAttachments(attachments: readonly OutgoingAttachment[]): void {
  for (const attachment of attachments) {
    running.get(attachment.key)?.controller.abort();
    attachment.preview?.close();
  }
}

/**
 * Pure rules of attachments, unit-tested without a browser: which files go as photos, how a
 * tray of them becomes messages (the API takes 1–10 photos or one file per message), the size
 * a photo shows at, sizes in words and files' icons.
 */

/** Image types the API takes as photos (it decides by content; this only picks the purpose). */
export const PHOTO_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif'];

/** At most this many photos in one message. */
export const MAX_PHOTOS = 10;

export type AttachmentKind = 'photo' | 'file';

/** A photo when the browser says it is an image the API decodes; anything else goes as a file. */
export function kindOf(file: Pick<File, 'type'>): AttachmentKind {
  return PHOTO_TYPES.includes(file.type) ? 'photo' : 'file';
}

/** One message to send: its attachments and its body. */
export interface PlannedMessage<T> {
  items: T[];
  body: string;
}

/**
 * The messages a tray of attachments and a caption make: the photos in messages of up to
 * {@link MAX_PHOTOS}, then each file in a message of its own; the caption goes with the first.
 * No attachments: the caption alone (a text message), or nothing.
 */
export function planMessages<T extends { kind: AttachmentKind }>(items: readonly T[], caption: string): PlannedMessage<T>[] {
  const photos = items.filter((item) => item.kind === 'photo');
  const planned: PlannedMessage<T>[] = [];
  for (let i = 0; i < photos.length; i += MAX_PHOTOS) planned.push({ items: photos.slice(i, i + MAX_PHOTOS), body: '' });
  for (const file of items.filter((item) => item.kind === 'file')) planned.push({ items: [file], body: '' });
  if (planned.length === 0) return caption ? [{ items: [], body: caption }] : [];
  planned[0]!.body = caption;
  return planned;
}

/** The size a lone photo shows at: its own, scaled down to fit `max` × `max`, never up. */
export function fitBox(width: number | null, height: number | null, max: number): { width: number; height: number } {
  if (!width || !height) return { width: max, height: Math.round(max * 0.75) };
  const scale = Math.min(1, max / width, max / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Columns of a grid of `count` photos: one alone, two side by side, three for five or more. */
export function gridColumns(count: number): number {
  if (count <= 1) return 1;
  if (count <= 4) return 2;
  return 3;
}

/** "512 B", "24 KB", "3.4 MB", in the locale's digits. */
export function formatBytes(bytes: number, locale: string): string {
  const units = [
    ['byte', 1],
    ['kilobyte', 1024],
    ['megabyte', 1024 ** 2],
    ['gigabyte', 1024 ** 3],
  ] as const;
  let chosen: (typeof units)[number] = units[0];
  for (const unit of units) if (bytes >= unit[1]) chosen = unit;
  const value = bytes / chosen[1];
  return new Intl.NumberFormat(locale, { style: 'unit', unit: chosen[0], unitDisplay: 'short', maximumFractionDigits: value < 10 && chosen[1] > 1 ? 1 : 0 }).format(value);
}

export type FileIcon = 'pdf' | 'archive' | 'image' | 'audio' | 'video' | 'text' | 'document' | 'file';

const EXTENSIONS: Record<string, FileIcon> = {
  pdf: 'pdf',
  zip: 'archive', gz: 'archive', tgz: 'archive', '7z': 'archive', rar: 'archive', tar: 'archive', xz: 'archive',
  png: 'image', jpg: 'image', jpeg: 'image', gif: 'image', webp: 'image', svg: 'image', avif: 'image', heic: 'image',
  mp3: 'audio', ogg: 'audio', wav: 'audio', flac: 'audio', m4a: 'audio',
  mp4: 'video', webm: 'video', mov: 'video', mkv: 'video',
  txt: 'text', md: 'text', csv: 'text', log: 'text', json: 'text',
  doc: 'document', docx: 'document', odt: 'document', xls: 'document', xlsx: 'document', ods: 'document', ppt: 'document', pptx: 'document', odp: 'document',
};

/** Which icon a file shows, from its name's extension (only a picture: the server serves every file as a download). */
export function fileIcon(name: string | null): FileIcon {
  const extension = name?.includes('.') ? name.split('.').at(-1)!.toLowerCase() : '';
  return EXTENSIONS[extension] ?? 'file';
}

/** The files of a paste or a drop (nothing for text). */
export function filesOf(data: DataTransfer | null): File[] {
  if (!data) return [];
  return [...data.files];
}

/**
 * Whether a signed media link (`…?expires=<unix seconds>&signature=…`) has run out by `now`
 * (ms), or will within `marginMs`: following it would be refused. A link without `expires` never runs out.
 */
export function linkExpired(url: string, now: number, marginMs = 5_000): boolean {
  const expires = Number(new URL(url, 'http://x').searchParams.get('expires'));
  return Number.isFinite(expires) && expires > 0 && expires * 1000 <= now + marginMs;
}

/** Handing text the user asked for to them: to the clipboard, or as a file. */

/** Copies `text` to the clipboard; false where the browser refuses (no secure context, no permission). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** How long a file's blob: URL outlives the click that saves it: the browser reads it after the click is handled. */
const BLOB_URL_LIFETIME_MS = 60_000;

/**
 * Saves `text` as a file through a download link to a blob: URL. A link's download is a
 * navigation, which the Content-Security-Policy's fetch directives do not govern, and no
 * data: URL is needed.
 */
export function downloadText(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), BLOB_URL_LIFETIME_MS);
}

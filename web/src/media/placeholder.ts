/**
 * Draws what shows while an image loads, on a canvas (the CSP allows no data: or blob: image
 * URLs): the API's ThumbHash decoded (thumbhash is loaded on the first use), or a bitmap made
 * from the file being sent.
 */
let decoder: Promise<typeof import('thumbhash')> | null = null;

/** The bytes of a base64 string. */
export function base64Bytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Paints a ThumbHash (base64) on `canvas` at its own few pixels; CSS stretches it over the box, smoothly. */
export async function drawThumbHash(canvas: HTMLCanvasElement, hash: string): Promise<void> {
  decoder ??= import('thumbhash');
  const { thumbHashToRGBA } = await decoder;
  const { w, h, rgba } = thumbHashToRGBA(base64Bytes(hash));
  canvas.width = w;
  canvas.height = h;
  canvas.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(rgba), w, h), 0, 0);
}

/** Paints a bitmap on `canvas` at the bitmap's size. */
export function drawBitmap(canvas: HTMLCanvasElement, bitmap: ImageBitmap): void {
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
}

/** What stands for the hidden part of an address. */
const HIDDEN = '•••';

/**
 * An address shown where others may glance at the screen: its local part hidden but for the
 * first character (`jane@example.org` → `j•••@example.org`), enough for its owner to
 * recognise, not enough to read off.
 */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  const local = at === -1 ? address : address.slice(0, at);
  // A whole character, not half of a surrogate pair.
  const first = Array.from(local)[0] ?? '';
  return at === -1 ? `${first}${HIDDEN}` : `${first}${HIDDEN}${address.slice(at)}`;
}

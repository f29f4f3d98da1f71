/** The composer's pure logic: keys, cursor insertion, typing throttle, which message Up edits. */
import type { MessageData } from '../graphql/messenger';

/** setTyping is sent at most this often while typing (the server drops repeats within 3 s anyway). */
export const TYPING_INTERVAL_MS = 3000;

export type ComposerAction = 'submit' | 'edit-last' | 'cancel' | null;

/** What a key press in the composer means. IME composition and Shift+Enter type as usual. */
export function composerKeyAction(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'isComposing' | 'altKey' | 'ctrlKey' | 'metaKey'>, text: string): ComposerAction {
  if (event.isComposing) return null;
  if (event.key === 'Enter' && !event.shiftKey && !event.altKey) return 'submit';
  if (event.key === 'ArrowUp' && text === '' && !event.shiftKey && !event.ctrlKey && !event.metaKey) return 'edit-last';
  if (event.key === 'Escape') return 'cancel';
  return null;
}

/** Replaces the selection [start, end) with `insert`; returns the text and where the caret goes. */
export function insertAt(text: string, start: number, end: number, insert: string): { text: string; caret: number } {
  const from = Math.max(0, Math.min(start, text.length));
  const to = Math.max(from, Math.min(end, text.length));
  return { text: text.slice(0, from) + insert + text.slice(to), caret: from + insert.length };
}

/** Returns a gate that lets a call through at most once per `intervalMs`. */
export function throttleGate(intervalMs: number): (now?: number) => boolean {
  let last = Number.NEGATIVE_INFINITY;
  return (now = Date.now()) => {
    if (now - last < intervalMs) return false;
    last = now;
    return true;
  };
}

/** The viewer's latest text message that can still be edited. */
export function lastEditable(messages: readonly MessageData[], viewerId: string | null): MessageData | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.sender?.id === viewerId && m.kind === 'TEXT' && !m.deleted) return m;
  }
  return null;
}

/** Who is typing where: ephemeral, each notice good for a few seconds. */
import { computed, reactive } from 'vue';

/** A typing notice counts this long; the server repeats them at most every 3 s while someone types. */
export const TYPING_SHOWN_MS = 5000;

const typists = reactive(new Map<string, Map<string, { name: string; until: number }>>());

export function typingNow(conversationId: string, user: { id: string; displayName: string }, now = Date.now()): void {
  let inConversation = typists.get(conversationId);
  if (!inConversation) typists.set(conversationId, (inConversation = new Map()));
  const until = now + TYPING_SHOWN_MS;
  inConversation.set(user.id, { name: user.displayName, until });
  setTimeout(() => {
    const entry = typists.get(conversationId)?.get(user.id);
    if (entry && entry.until <= Date.now()) typists.get(conversationId)!.delete(user.id);
  }, TYPING_SHOWN_MS + 50);
}

/** Stops showing someone as typing (their message arrived). */
export function typingStopped(conversationId: string, userId: string): void {
  typists.get(conversationId)?.delete(userId);
}

/** The names of the people typing in a conversation now. */
export function useTyping(conversationId: () => string | null) {
  return computed(() => {
    const id = conversationId();
    return id ? [...(typists.get(id)?.values() ?? [])].map((t) => t.name) : [];
  });
}

/** A conversation's title, apart from format.ts (which brings Markdown): the notifications need it too. */
import type { ConversationData } from '../../graphql/messenger';
import type { Translate } from './format';

/**
 * A conversation's title as the list and the header show it. A direct conversation is named
 * after the other person as the cache holds them, so a new name of theirs (ProfileChangedEvent)
 * shows at once; one whose other person deleted their account has no name left.
 */
export function conversationTitle(conversation: Pick<ConversationData, 'kind' | 'title' | 'otherUser'>, t: Translate): string {
  if (conversation.kind !== 'DIRECT') return conversation.title;
  return conversation.otherUser?.displayName ?? t('list.deletedAccount');
}

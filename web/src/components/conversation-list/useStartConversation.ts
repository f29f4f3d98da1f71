/** Starting conversations and adding contacts from the list's dialogs; failures keep the server's message. */
import { ref } from 'vue';
import { useRouter } from 'vue-router';
import { useApolloClient } from '@vue/apollo-composable';
import type { ApolloCache, Reference } from '@apollo/client/core';
import { AddContactMutation, CreateDirectMutation, CreateGroupMutation, type ConversationData } from '../../graphql/messenger';
import { toClientError, type ClientError } from '../../graphql/errors';
import { useErrorMessage } from '../../composables/useErrorMessage';

/** Puts a conversation the viewer just created into the cached list (no event announces a new direct chat). */
function listConversation(cache: ApolloCache<unknown>, conversation: ConversationData): void {
  cache.modify({
    id: 'ROOT_QUERY',
    fields: {
      conversations(value, { toReference, readField }) {
        const existing = value as { nodes: Reference[] } | undefined;
        if (!existing || existing.nodes.some((node) => readField('id', node) === conversation.id)) return value;
        const ref = toReference({ __typename: 'Conversation', id: conversation.id });
        return ref ? { ...existing, nodes: [ref, ...existing.nodes] } : existing;
      },
    },
  });
}

export function useStartConversation() {
  const { client } = useApolloClient();
  const router = useRouter();
  const error = ref<ClientError | null>(null);
  /** What is being done now (a user id, or `group`), so only that button spins. */
  const busy = ref<string | null>(null);

  async function run<T>(what: string, action: () => Promise<T>): Promise<T | null> {
    error.value = null;
    busy.value = what;
    try {
      return await action();
    } catch (thrown) {
      error.value = toClientError(thrown);
      return null;
    } finally {
      busy.value = null;
    }
  }

  async function open(conversation: ConversationData | undefined): Promise<boolean> {
    if (!conversation) return false;
    await router.push({ name: 'chats', params: { id: conversation.id } });
    return true;
  }

  return {
    busy,
    error,
    errorMessage: useErrorMessage(error),
    /** Opens the direct chat with a user (the server returns the existing one if there is one). */
    startDirect: (userId: string) =>
      run(userId, async () => {
        const { data } = await client.mutate({
          mutation: CreateDirectMutation,
          variables: { userId },
          update: (cache, { data: created }) => created && listConversation(cache, created.createDirectConversation),
        });
        return open(data?.createDirectConversation);
      }),
    /** Creates a group with the viewer as owner and opens it. */
    createGroup: (title: string, memberIds: string[]) =>
      run('group', async () => {
        const { data } = await client.mutate({
          mutation: CreateGroupMutation,
          variables: { input: { title, memberIds } },
          update: (cache, { data: created }) => created && listConversation(cache, created.createGroup),
        });
        return open(data?.createGroup);
      }),
    /** Adds a user to the viewer's contacts; the returned user updates `isContact` in the cache. */
    addContact: (userId: string) =>
      run(`contact:${userId}`, () => client.mutate({ mutation: AddContactMutation, variables: { userId }, refetchQueries: ['Contacts'] })),
  };
}

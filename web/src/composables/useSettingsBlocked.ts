import { computed, ref } from 'vue';
import { useMutation, useQuery } from '@vue/apollo-composable';
import { BlockedUsersQuery } from '../graphql/account';
import { UnblockUserMutation, type UserSummary } from '../graphql/messenger';
import { toClientError, type ClientError } from '../graphql/errors';

/** The people the user blocked, and unblocking them. */
export function useSettingsBlocked() {
  const error = ref<ClientError | null>(null);
  const { result, loading, error: loadError } = useQuery(BlockedUsersQuery, {}, { fetchPolicy: 'cache-and-network' });
  const { mutate, loading: unblocking } = useMutation(UnblockUserMutation, {
    throws: 'always',
    update(cache, { data }, { variables }) {
      if (!data?.unblockUser || !variables) return;
      const id = cache.identify({ __typename: 'User', id: variables.userId });
      // Wherever this person shows (a chat header, a member list), they are no longer blocked.
      if (id) cache.modify({ id, fields: { isBlocked: () => false } });
      cache.updateQuery({ query: BlockedUsersQuery }, (cached) =>
        cached ? { blockedUsers: cached.blockedUsers.filter((user) => user.id !== variables.userId) } : cached,
      );
    },
  });

  async function unblock(user: UserSummary): Promise<void> {
    error.value = null;
    try {
      await mutate({ userId: user.id });
    } catch (thrown) {
      error.value = toClientError(thrown);
    }
  }

  return {
    blockedUsers: computed(() => result.value?.blockedUsers ?? []),
    loading,
    unblocking,
    error: computed(() => error.value ?? (loadError.value ? toClientError(loadError.value) : null)),
    unblock,
  };
}

import { computed } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import { MeQuery } from '../graphql/me';
import { toClientError } from '../graphql/errors';

/**
 * The signed-in user. Shown from the cache at once (login put it there) and checked
 * with the server; a rejected token ends the session in the Apollo plugin.
 */
export function useMe() {
  const { result, loading, error } = useQuery(MeQuery, {}, { fetchPolicy: 'cache-and-network' });
  return {
    me: computed(() => result.value?.me ?? null),
    loading,
    error: computed(() => (error.value ? toClientError(error.value) : null)),
  };
}

/**
 * The viewer as others see them, with their picture (`Me` has none): read through `user` by their
 * user name, so that it is the cached User that events and avatar renewals keep current.
 */
import { computed } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import { MyCardQuery } from '../graphql/media';

export function useMyCard(username: () => string | null | undefined) {
  const { result } = useQuery(MyCardQuery, () => ({ username: username() ?? '' }), () => ({ enabled: Boolean(username()), fetchPolicy: 'cache-and-network' }));
  return computed(() => result.value?.user ?? null);
}

/**
 * A user's avatar as the cache holds it, for places whose data carries only the user's id
 * and name (a message's sender): the lists of members and people put it there.
 */
import { onScopeDispose, shallowRef, watch } from 'vue';
import { useApolloClient } from '@vue/apollo-composable';
import type { AvatarData } from '../graphql/messenger';
import { USER_AVATAR } from '../graphql/media';

export function useUserAvatar(userId: () => string | null | undefined) {
  const { client } = useApolloClient();
  const avatar = shallowRef<AvatarData | null>(null);
  let stop: (() => void) | null = null;
  watch(
    userId,
    (id) => {
      stop?.();
      stop = null;
      avatar.value = null;
      if (!id) return;
      const subscription = client.watchFragment({ fragment: USER_AVATAR, from: { __typename: 'User', id } }).subscribe(({ data, complete }) => {
        avatar.value = complete ? (data.avatar ?? null) : null;
      });
      stop = () => subscription.unsubscribe();
    },
    { immediate: true },
  );
  onScopeDispose(() => stop?.());
  return avatar;
}

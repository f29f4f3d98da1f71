import { computed, ref } from 'vue';
import { useMutation, useQuery } from '@vue/apollo-composable';
import { ProfileQuery, UpdateProfileMutation, type UpdateProfileInput } from '../graphql/account';
import { toClientError, type ClientError } from '../graphql/errors';

/** The signed-in user's profile and privacy settings, from the cache at once and then fresh. */
export function useSettingsProfile() {
  const { result, loading, error } = useQuery(ProfileQuery, {}, { fetchPolicy: 'cache-and-network' });
  return {
    profile: computed(() => result.value?.me ?? null),
    loading,
    error: computed(() => (error.value ? toClientError(error.value) : null)),
  };
}

/**
 * Saves changes to the profile; the answer updates the cached `Me`, so the app bar and
 * every form showing it follow.
 */
export function useProfileUpdate() {
  const error = ref<ClientError | null>(null);
  const { mutate, loading } = useMutation(UpdateProfileMutation, { throws: 'always' });

  /** Resolves to whether the change was saved; otherwise `error` says why. */
  async function save(input: UpdateProfileInput): Promise<boolean> {
    error.value = null;
    try {
      await mutate({ input });
      return true;
    } catch (thrown) {
      error.value = toClientError(thrown);
      return false;
    }
  }

  return { save, saving: loading, error };
}

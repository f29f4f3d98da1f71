/** People to start a chat with: the viewer's contacts, or the search results as they type. */
import { computed, onScopeDispose, ref, watch } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import { ContactsQuery, SearchUsersQuery } from '../../graphql/messenger';
import { toClientError } from '../../graphql/errors';
import { useErrorMessage } from '../../composables/useErrorMessage';

/** How long typing must pause before a search goes out. */
export const SEARCH_DEBOUNCE_MS = 250;

export function usePeopleSearch() {
  const query = ref('');
  /** The query the search runs with: trails `query` by the debounce; clearing it is immediate. */
  const searched = ref('');
  let timer: ReturnType<typeof setTimeout> | undefined;

  watch(query, (value) => {
    clearTimeout(timer);
    const trimmed = value.trim();
    if (!trimmed) searched.value = '';
    else timer = setTimeout(() => (searched.value = trimmed), SEARCH_DEBOUNCE_MS);
  });
  onScopeDispose(() => clearTimeout(timer));

  const contacts = useQuery(ContactsQuery, {}, { fetchPolicy: 'cache-and-network' });
  const search = useQuery(SearchUsersQuery, () => ({ query: searched.value }), () => ({ enabled: searched.value.length > 0, fetchPolicy: 'network-only' }));

  const showingContacts = computed(() => searched.value.length === 0);
  const active = computed(() => (showingContacts.value ? contacts : search));
  const error = computed(() => (active.value.error.value ? toClientError(active.value.error.value) : null));

  return {
    query,
    showingContacts,
    people: computed(() => (showingContacts.value ? contacts.result.value?.contacts : search.result.value?.searchUsers) ?? []),
    loading: computed(() => active.value.loading.value),
    errorMessage: useErrorMessage(error),
  };
}

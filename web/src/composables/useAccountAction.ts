import { ref } from 'vue';
import type { ApolloCache, OperationVariables, TypedDocumentNode } from '@apollo/client/core';
import { useMutation, type UseMutationOptions } from '@vue/apollo-composable';
import { MeQuery } from '../graphql/me';
import type { Me } from '../graphql/user';
import { toClientError, type ClientError } from '../graphql/errors';

/**
 * One change to the account, as a form runs it: `run` resolves to the answer, or to null
 * with `error` saying why (the form shows it, field by field where the API names fields).
 */
export function useAccountAction<TData, TVariables extends OperationVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  options: Pick<UseMutationOptions<TData, TVariables>, 'update' | 'refetchQueries'> = {},
) {
  const error = ref<ClientError | null>(null);
  const { mutate, loading } = useMutation(document, { ...options, throws: 'always' });

  async function run(variables: TVariables): Promise<TData | null> {
    error.value = null;
    try {
      return (await mutate(variables))?.data ?? null;
    } catch (thrown) {
      error.value = toClientError(thrown);
      return null;
    }
  }

  function clearError(): void {
    error.value = null;
  }

  return { run, running: loading, error, clearError };
}

/**
 * Changes the cached signed-in user where an answer does not carry it (a `Boolean!` or the
 * recovery codes): every view of `Me` — the app bar, the settings — follows.
 */
export function patchMe(cache: ApolloCache<unknown>, patch: Partial<Omit<Me, 'id'>>): void {
  cache.updateQuery({ query: MeQuery }, (data) => (data ? { me: { ...data.me, ...patch } } : data));
}

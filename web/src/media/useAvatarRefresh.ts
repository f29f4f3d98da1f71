/**
 * Fresh links for avatars whose links ran out (media/avatarRenewal.ts), read through the Apollo
 * client: the answers update the cached users and groups, and so every place that shows them.
 */
import { useApolloClient } from '@vue/apollo-composable';
import type { ApolloClient } from '@apollo/client/core';
import { GroupAvatarQuery, UserAvatarsQuery } from '../graphql/media';
import { createAvatarRenewal } from './avatarRenewal';

type Renewal = ReturnType<typeof createAvatarRenewal>;
const renewals = new WeakMap<ApolloClient<unknown>, Renewal>();

function renewalFor(client: ApolloClient<unknown>): Renewal {
  let renewal = renewals.get(client);
  if (!renewal) {
    renewal = createAvatarRenewal({
      users: (ids) => client.query({ query: UserAvatarsQuery, variables: { ids }, fetchPolicy: 'network-only' }),
      group: (id) => client.query({ query: GroupAvatarQuery, variables: { id }, fetchPolicy: 'network-only' }),
    });
    renewals.set(client, renewal);
  }
  return renewal;
}

export function useAvatarRefresh(): Renewal {
  const { client } = useApolloClient();
  return renewalFor(client as ApolloClient<unknown>);
}

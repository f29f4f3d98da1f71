import { computed, ref } from 'vue';
import { useApolloClient, useMutation, useQuery } from '@vue/apollo-composable';
import { RevokeSessionMutation, SessionsQuery, type SessionData } from '../graphql/account';
import { SignOutOtherSessionsMutation } from '../graphql/security';
import { toClientError, type ClientError } from '../graphql/errors';
import { useSessionStore } from './useSession';

export interface Device {
  browser: string | null;
  system: string | null;
}

// First match wins: Edge and Opera also say "Chrome", Chrome also says "Safari".
const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/YaBrowser\//, 'Yandex Browser'],
  [/Chrom(e|ium)\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Windows/, 'Windows'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

/** A user agent in words a person recognises: the browser and the operating system, when known. */
export function describeUserAgent(userAgent: string | null): Device {
  if (!userAgent) return { browser: null, system: null };
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
  return { browser, system };
}

/** The current session first, then the others by most recent use. */
export function sortSessions(sessions: readonly SessionData[]): SessionData[] {
  return [...sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt.localeCompare(a.lastUsedAt));
}

/**
 * The account's active sessions, and signing any of them out (or all but this one at once);
 * signing out this one ends the session here.
 */
export function useSettingsSessions() {
  const session = useSessionStore();
  const apollo = useApolloClient().client;
  const error = ref<ClientError | null>(null);
  const { result, loading, error: loadError, refetch } = useQuery(SessionsQuery, {}, { fetchPolicy: 'cache-and-network' });
  const { mutate } = useMutation(RevokeSessionMutation, { throws: 'always' });
  const { mutate: mutateOthers, loading: signingOutOthers } = useMutation(SignOutOtherSessionsMutation, { throws: 'always' });

  /** The sessions being signed out: their buttons alone show the wait. */
  const revokingIds = ref(new Set<string>());

  /**
   * Leaves only the sessions `keep` accepts in the list, as soon as the server has ended the
   * others: the list is then read again for fresh "last used" times, but the person does not
   * wait for that second round trip to see the device they signed out go.
   */
  function dropFromList(keep: (session: SessionData) => boolean): void {
    apollo.cache.updateQuery({ query: SessionsQuery }, (data) => (data ? { ...data, sessions: data.sessions.filter(keep) } : data));
    refetch()?.catch(() => {}); // the list already shows the outcome; a failed refresh changes nothing
  }

  async function revoke(target: SessionData): Promise<void> {
    error.value = null;
    revokingIds.value.add(target.id);
    try {
      await mutate({ id: target.id });
      // The server has already forgotten this token: only this tab is left to tell.
      if (target.current) session.end();
      else dropFromList((listed) => listed.id !== target.id);
    } catch (thrown) {
      error.value = toClientError(thrown);
    } finally {
      revokingIds.value.delete(target.id);
    }
  }

  /** Ends every session but this one; resolves to how many ended, or null with `error` saying why. */
  async function signOutOthers(): Promise<number | null> {
    error.value = null;
    try {
      const ended = (await mutateOthers())?.data?.signOutOtherSessions ?? 0;
      dropFromList((listed) => listed.current);
      return ended;
    } catch (thrown) {
      error.value = toClientError(thrown);
      return null;
    }
  }

  return {
    sessions: computed(() => sortSessions(result.value?.sessions ?? [])),
    loading,
    revokingIds,
    signingOutOthers,
    error: computed(() => error.value ?? (loadError.value ? toClientError(loadError.value) : null)),
    revoke,
    signOutOthers,
  };
}

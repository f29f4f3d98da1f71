/** The request to confirm the signed-in user's email address, with a way to have the link sent again. */
import { computed, ref } from 'vue';
import { useMutation, useQuery } from '@vue/apollo-composable';
import { toClientError, type ClientError } from '../graphql/errors';
import { MeQuery } from '../graphql/me';
import { ResendVerificationEmailMutation } from '../graphql/recovery';
import type { Me } from '../graphql/user';
import { maskEmail } from '../utils/email';
import { readStorage, writeStorage } from '../utils/storage';
import { useErrorMessage } from './useErrorMessage';
import { useSessionStore } from './useSession';

/** Whose banner was put off in this tab (a user id): "later" lasts until the tab closes, not for ever. */
export const EMAIL_BANNER_KEY = 'dash.emailBannerDismissed';

/** Whether to ask: signed in, the address not confirmed, and this user did not put it off in this tab. */
export function shouldAskToVerify(me: Pick<Me, 'id' | 'emailVerified'> | null, dismissedFor: string | null): boolean {
  return me !== null && !me.emailVerified && dismissedFor !== me.id;
}

export function useEmailBanner() {
  const session = useSessionStore();
  const { result } = useQuery(MeQuery, {}, () => ({ enabled: session.isSignedIn, fetchPolicy: 'cache-first' }));
  const me = computed(() => (session.isSignedIn ? (result.value?.me ?? null) : null));
  const dismissedFor = ref(readStorage(EMAIL_BANNER_KEY, 'session'));
  const visible = computed(() => shouldAskToVerify(me.value, dismissedFor.value));
  const email = computed(() => (me.value ? maskEmail(me.value.email) : ''));

  const sent = ref(false);
  const error = ref<ClientError | null>(null);
  const errorMessage = useErrorMessage(error);
  // Confirmed meanwhile (another tab, another device)? Then the fresh `me` takes the banner away.
  const { mutate, loading: sending } = useMutation(ResendVerificationEmailMutation, { throws: 'always', refetchQueries: [{ query: MeQuery }] });

  async function resend(): Promise<void> {
    error.value = null;
    sent.value = false;
    try {
      await mutate();
      sent.value = true;
    } catch (thrown) {
      error.value = toClientError(thrown);
    }
  }

  function dismiss(): void {
    if (!me.value) return;
    dismissedFor.value = me.value.id;
    writeStorage(EMAIL_BANNER_KEY, me.value.id, 'session');
  }

  return { visible, email, resend, sending, sent, errorMessage, dismiss };
}

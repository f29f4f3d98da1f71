/** Opening a mailed email link: confirming the address (`verifyEmail`) or a change to a new one (`confirmEmailChange`). */
import { ref, watch, type Ref } from 'vue';
import { useMutation } from '@vue/apollo-composable';
import { toClientError, type ClientError } from '../graphql/errors';
import { MeQuery } from '../graphql/me';
import { ConfirmEmailChangeMutation, VerifyEmailMutation } from '../graphql/recovery';
import { useErrorMessage } from './useErrorMessage';
import { useSessionStore } from './useSession';

/** Which link: `/verify-email` or `/confirm-email`. */
export type EmailLinkPurpose = 'verify' | 'confirm';

/**
 * Where opening the link stands: `working` while the API is asked; then `confirmed`; `invalid`
 * (used, expired, replaced by a newer link, or none at all); `taken` (another account took the
 * new address meanwhile); `failed` (the network or the unexpected: the message says which, and it
 * may be tried again — the token is gone from the address bar, so a reload cannot).
 */
export type EmailLinkState = 'working' | 'confirmed' | 'invalid' | 'taken' | 'failed';

/** What a refusal of the link means for the person. */
export function emailLinkState(error: ClientError): Exclude<EmailLinkState, 'working' | 'confirmed'> {
  if (error.code === 'INVALID_TOKEN') return 'invalid';
  if (error.code === 'CONFLICT') return 'taken';
  return 'failed';
}

/**
 * Links already sent to the API in this tab, and how they went. A token is single-use: a second
 * call (the page set up again, a second component) would be refused and turn success into
 * "this link no longer works", so it shares the first call's answer.
 */
const opened = new Map<string, Promise<ClientError | null>>();

/** Opens each link `token` brings, once; a signed-in person's `me` is refreshed after. */
export function useEmailLink(purpose: EmailLinkPurpose, token: Readonly<Ref<string | null>>) {
  const session = useSessionStore();
  const state = ref<EmailLinkState>('working');
  const error = ref<ClientError | null>(null);
  const errorMessage = useErrorMessage(error);
  // Signed in, the app shows the address and whether it is confirmed: both may have changed.
  const refetchQueries = () => (session.isSignedIn ? [{ query: MeQuery }] : []);
  const verify = useMutation(VerifyEmailMutation, { throws: 'always', refetchQueries, awaitRefetchQueries: true });
  const confirm = useMutation(ConfirmEmailChangeMutation, { throws: 'always', refetchQueries, awaitRefetchQueries: true });

  async function open(linkToken: string): Promise<ClientError | null> {
    try {
      await (purpose === 'verify' ? verify.mutate({ token: linkToken }) : confirm.mutate({ token: linkToken }));
      return null;
    } catch (thrown) {
      return toClientError(thrown);
    }
  }

  /** Asks the API, or takes the answer it already gave this tab; `retry` asks again after a failure. */
  function run(retry = false): void {
    const linkToken = token.value;
    if (!linkToken) {
      state.value = 'invalid';
      return;
    }
    const key = `${purpose}:${linkToken}`;
    const answer = (!retry && opened.get(key)) || open(linkToken);
    opened.set(key, answer);
    state.value = 'working';
    void answer.then((refusal) => {
      // A newer link opened meanwhile has the page now.
      if (token.value !== linkToken) return;
      error.value = refusal;
      state.value = refusal ? emailLinkState(refusal) : 'confirmed';
    });
  }
  watch(token, () => run(), { immediate: true });

  return { state, errorMessage, retry: () => run(true) };
}

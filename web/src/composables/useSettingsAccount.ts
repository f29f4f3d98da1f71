import { nextTick } from 'vue';
import { useRouter } from 'vue-router';
import {
  ChangePasswordMutation,
  ChangeUsernameMutation,
  DeleteAccountMutation,
  RequestEmailChangeMutation,
} from '../graphql/security';
import { ResendVerificationEmailMutation } from '../graphql/recovery';
import { SessionsQuery } from '../graphql/account';
import { patchMe, useAccountAction } from './useAccountAction';
import { showNotice } from './useNotice';
import { useSessionStore } from './useSession';

/**
 * Changes the password. The server ends the account's other sessions (this one stays), so
 * the list of sessions is asked again.
 */
export function usePasswordChange() {
  return useAccountAction(ChangePasswordMutation, { refetchQueries: [SessionsQuery] });
}

/** Asks for a link to the new address; until it is opened, the cached user shows it as pending. */
export function useEmailChange() {
  return useAccountAction(RequestEmailChangeMutation, {
    update(cache, { data }, { variables }) {
      if (data?.requestEmailChange && variables) patchMe(cache, { pendingEmail: variables.input.newEmail.trim().toLowerCase() });
    },
  });
}

/** Mails a new link to confirm the current address. */
export function useVerificationResend() {
  return useAccountAction(ResendVerificationEmailMutation);
}

/** Renames the account; the answer is the cached user, so the new name shows everywhere. */
export function useUsernameChange() {
  return useAccountAction(ChangeUsernameMutation);
}

/**
 * Deletes the account. The server has ended every session already: here the session ends
 * as signing out ends it (the cache is cleared with it), and the login page tells why.
 */
export function useAccountDeletion() {
  const session = useSessionStore();
  const router = useRouter();
  const action = useAccountAction(DeleteAccountMutation);

  async function remove(password: string, code: string | null): Promise<boolean> {
    const data = await action.run({ input: { password, ...(code ? { code } : {}) } });
    if (!data?.deleteAccount) return false;
    showNotice('security.delete.done');
    session.end();
    // The router sends a page that needs a session to the login page remembering it (for
    // the next sign-in); this page is no place to come back to, so that navigation is replaced.
    await nextTick();
    await router.replace({ name: 'login' });
    return true;
  }

  return { remove, running: action.running, error: action.error, clearError: action.clearError };
}

import { computed, ref } from 'vue';
import { useMutation } from '@vue/apollo-composable';
import type { ClientError } from '../graphql/errors';
import { LoginMutation, type LoginInput } from '../graphql/login';
import { MeQuery } from '../graphql/me';
import { useErrorMessage } from './useErrorMessage';
import { useSessionStart } from './useSessionStart';

/**
 * Where a sign-in stands: the password step (`challengeExpired` when it is back there because
 * the code step took too long), or the code step with the challenge `completeLogin` takes.
 */
export type SignInStep = { name: 'password'; challengeExpired: boolean } | { name: 'code'; challenge: string };

/** What moves a sign-in on: `login` refused the password (or asked for a code), the challenge expired, the person went back. */
export type SignInEvent = { type: 'refused'; error: ClientError } | { type: 'expired' } | { type: 'back' };

export const PASSWORD_STEP: SignInStep = { name: 'password', challengeExpired: false };

/** The two-step sign-in: a right password of an account with two-factor on asks for a code next. */
export function nextSignInStep(step: SignInStep, event: SignInEvent): SignInStep {
  switch (event.type) {
    case 'refused':
      return event.error.code === 'TWO_FACTOR_REQUIRED' && event.error.challenge
        ? { name: 'code', challenge: event.error.challenge.challenge }
        : PASSWORD_STEP;
    case 'expired':
      return step.name === 'code' ? { name: 'password', challengeExpired: true } : step;
    case 'back':
      return PASSWORD_STEP;
  }
}

/**
 * Signs in and starts the session; the user it returns fills the `me` query's cache. With
 * two-factor on, `step` turns to the code step, which `AuthCodeStep` completes.
 */
export function useLogin() {
  const { error, startWith, clearError } = useSessionStart();
  const step = ref<SignInStep>(PASSWORD_STEP);
  // Asking for a code is no failure to show.
  const shownError = computed(() => (error.value?.code === 'TWO_FACTOR_REQUIRED' ? null : error.value));
  const errorMessage = useErrorMessage(shownError);
  const { mutate, loading } = useMutation(LoginMutation, {
    throws: 'always',
    update(cache, { data }) {
      if (data) cache.writeQuery({ query: MeQuery, data: { me: data.login.me } });
    },
  });

  /** Resolves to whether the session started; otherwise `error` says why, or `step` asks for a code. */
  async function login(input: LoginInput): Promise<boolean> {
    const started = await startWith(async () => (await mutate({ input }))?.data?.login.token);
    if (!started && error.value) step.value = nextSignInStep(step.value, { type: 'refused', error: error.value });
    return started;
  }

  function move(event: SignInEvent): void {
    step.value = nextSignInStep(step.value, event);
  }

  return { login, step, move, loading, error: shownError, errorMessage, clearError };
}

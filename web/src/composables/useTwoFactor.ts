import { computed, ref } from 'vue';
import { useApolloClient } from '@vue/apollo-composable';
import {
  BeginTwoFactorSetupMutation,
  ConfirmTwoFactorSetupMutation,
  DisableTwoFactorMutation,
  RegenerateRecoveryCodesMutation,
  type TwoFactorSetup,
} from '../graphql/security';
import { SessionsQuery } from '../graphql/account';
import { MeQuery } from '../graphql/me';
import type { ClientError } from '../graphql/errors';
import { patchMe, useAccountAction } from './useAccountAction';

/** Where turning two-factor on stands: the password asked, the app being set up, the recovery codes shown. */
export type SetupState = { step: 'password' } | { step: 'scan'; setup: TwoFactorSetup } | { step: 'codes'; codes: string[] };

export type SetupEvent =
  /** The password was right: a secret for the app, pending. */
  | { type: 'begun'; setup: TwoFactorSetup }
  /** A code from the app was right: two-factor is on. */
  | { type: 'confirmed'; codes: string[] }
  /** The pending secret is gone (a setup begun elsewhere replaced it): begin again. */
  | { type: 'expired' }
  | { type: 'reset' };

/** The setup's next state; an event that does not fit the current step changes nothing. */
export function nextSetupState(state: SetupState, event: SetupEvent): SetupState {
  switch (event.type) {
    case 'begun':
      return state.step === 'password' ? { step: 'scan', setup: event.setup } : state;
    case 'confirmed':
      return state.step === 'scan' ? { step: 'codes', codes: event.codes } : state;
    case 'expired':
      return state.step === 'scan' ? { step: 'password' } : state;
    case 'reset':
      return { step: 'password' };
  }
}

/** A base32 secret in groups of four, as people copy it into an app by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').match(/.{1,4}/g)?.join(' ') ?? '';
}

/** A code as typed, without the spaces apps show in the middle of it. */
export function normalizeCode(code: string): string {
  return code.replace(/\s+/g, '');
}

/** Whether `code` is what an authenticator app shows: six digits (spaces aside). */
export function isAppCode(code: string): boolean {
  return /^\d{6}$/.test(normalizeCode(code));
}

/** A CONFLICT on `twoFactorEnabled`: the page's view of the account is out of date. */
export function isStaleTwoFactorState(error: ClientError | null): boolean {
  return error?.code === 'CONFLICT' && error.fields.some((problem) => problem.field.endsWith('twoFactorEnabled'));
}

/** Asks for the signed-in user again when an answer showed the cached one to be out of date. */
function useStaleRefresh() {
  const { resolveClient } = useApolloClient();
  return (error: ClientError | null): boolean => {
    if (!isStaleTwoFactorState(error)) return false;
    void resolveClient().refetchQueries({ include: [MeQuery] });
    return true;
  };
}

/**
 * Turning two-factor sign-in on: the password, then a code from the app set up with the
 * secret, then the recovery codes (shown once). The server ends the other sessions.
 */
export function useTwoFactorSetup() {
  const state = ref<SetupState>({ step: 'password' });
  const begin = useAccountAction(BeginTwoFactorSetupMutation);
  const confirm = useAccountAction(ConfirmTwoFactorSetupMutation, {
    update(cache, { data }) {
      if (data) patchMe(cache, { twoFactorEnabled: true, recoveryCodesLeft: data.confirmTwoFactorSetup.codes.length });
    },
    refetchQueries: [SessionsQuery],
  });
  const refreshIfStale = useStaleRefresh();
  const dispatch = (event: SetupEvent) => (state.value = nextSetupState(state.value, event));

  function clearError(): void {
    begin.clearError();
    confirm.clearError();
  }

  async function submitPassword(password: string): Promise<void> {
    clearError();
    const data = await begin.run({ input: { password } });
    if (data) dispatch({ type: 'begun', setup: data.beginTwoFactorSetup });
    else refreshIfStale(begin.error.value);
  }

  async function submitCode(code: string): Promise<void> {
    clearError();
    const data = await confirm.run({ code: normalizeCode(code) });
    if (data) dispatch({ type: 'confirmed', codes: data.confirmTwoFactorSetup.codes });
    else if (refreshIfStale(confirm.error.value)) dispatch({ type: 'expired' });
  }

  function reset(): void {
    clearError();
    dispatch({ type: 'reset' });
  }

  return {
    state,
    submitPassword,
    submitCode,
    reset,
    clearError,
    running: computed(() => begin.running.value || confirm.running.value),
    error: computed(() => begin.error.value ?? confirm.error.value),
  };
}

/** What proving both factors is for: turning two-factor off, or replacing the recovery codes. */
export type ProofPurpose = 'disable' | 'regenerate';

/**
 * Turning two-factor off, or new recovery codes, with the password and a code. `submit`
 * resolves to the new codes (regenerate), `true` (disable), or null with `error` saying why.
 */
export function useTwoFactorProof(purpose: () => ProofPurpose) {
  const disable = useAccountAction(DisableTwoFactorMutation);
  const regenerate = useAccountAction(RegenerateRecoveryCodesMutation, {
    update(cache, { data }) {
      if (data) patchMe(cache, { recoveryCodesLeft: data.regenerateRecoveryCodes.codes.length });
    },
  });
  const refreshIfStale = useStaleRefresh();
  const action = computed(() => (purpose() === 'disable' ? disable : regenerate));

  async function submit(password: string, code: string): Promise<string[] | true | null> {
    const input = { password, code: code.trim() };
    if (purpose() === 'disable') {
      if (await disable.run({ input })) return true;
    } else {
      const data = await regenerate.run({ input });
      if (data) return data.regenerateRecoveryCodes.codes;
    }
    refreshIfStale(action.value.error.value);
    return null;
  }

  return {
    submit,
    running: computed(() => action.value.running.value),
    error: computed(() => action.value.error.value),
    clearError: () => action.value.clearError(),
  };
}

/** The recovery codes as a text file: a heading, a line on their use, then one code a line. */
export function recoveryCodesFile(codes: readonly string[], heading: string, note: string): string {
  return [heading, note, '', ...codes, ''].join('\n');
}

import { computed, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { ClientError, FieldProblem } from '../graphql/errors';
import type { RegisterProblem } from './useRegister';
import { useErrorMessage } from './useErrorMessage';

/** Refusals the settings' forms word themselves: a key under `security.errors`. */
export type KnownProblem =
  | 'wrongPassword'
  | 'samePassword'
  | 'commonPassword'
  | 'passwordHasUsername'
  | 'wrongCode'
  | 'codeRequired'
  | 'sameEmail'
  | 'emailTaken'
  | 'usernameTaken'
  | 'twoFactorOnAlready'
  | 'twoFactorOffAlready'
  | 'setupExpired';

/** The field a problem names, without its input path (`input.newEmail` → `newEmail`). */
function fieldName(problem: FieldProblem): string {
  return problem.field.split('.').at(-1) ?? problem.field;
}

/**
 * Our words for a refusal the API names by field and constraint (see api/src/modules/accounts);
 * null for the rest, whose own message is shown.
 */
export function knownProblem(problem: FieldProblem): KnownProblem | null {
  const field = fieldName(problem);
  switch (problem.constraint) {
    case 'currentPassword':
      return 'wrongPassword';
    case 'notCurrent':
      return 'samePassword';
    case 'notCommon':
      return 'commonPassword';
    case 'notUsername':
      return 'passwordHasUsername';
    case 'secondFactor':
      return 'wrongCode';
    case 'required':
      return field === 'code' ? 'codeRequired' : null;
    case 'changed':
      return 'sameEmail';
    case 'unique':
      return field === 'username' ? 'usernameTaken' : field === 'newEmail' ? 'emailTaken' : null;
    // CONFLICT on `twoFactorEnabled`: this page's view of the account is stale.
    case 'twoFactorOff':
      return 'twoFactorOnAlready';
    case 'twoFactorOn':
      return 'twoFactorOffAlready';
    case 'setupBegun':
      return 'setupExpired';
    default:
      return null;
  }
}

/** A failed submit, split for a form: messages per field it shows, and the rest for one alert. */
export interface FormErrors {
  byField: Record<string, string[]>;
  /**
   * Problems of fields the form does not show, worded; empty when every problem is a field's;
   * null when the error names no field at all (a rate limit, the network), which is said as
   * any failed request is (useErrorMessage).
   */
  general: string | null;
}

/** How {@link formErrors} words things: vue-i18n's `t`. */
export type Translate = (key: string, named?: Record<string, unknown>) => string;

/** Splits `error` between the form's `fields` and the rest: known refusals in our words, others in the server's. */
export function formErrors(error: ClientError | null, fields: readonly string[], t: Translate): FormErrors {
  const byField: Record<string, string[]> = Object.fromEntries(fields.map((field) => [field, []]));
  if (!error) return { byField, general: '' };
  if (error.fields.length === 0) return { byField, general: null };
  const word = (problem: FieldProblem) => {
    const known = knownProblem(problem);
    return known ? t(`security.errors.${known}`) : problem.message;
  };
  const rest: string[] = [];
  for (const problem of error.fields) {
    const target = byField[fieldName(problem)];
    if (target) target.push(word(problem));
    else rest.push(word(problem));
  }
  return { byField, general: rest.join(' ') };
}

/** {@link formErrors} of a form's error, in the page's language. */
export function useFormErrors(error: Readonly<Ref<ClientError | null>>, fields: readonly string[]) {
  const { t } = useI18n();
  const errors = computed(() => formErrors(error.value, fields, t));
  const failure = useErrorMessage(error);
  return {
    /** The messages for one field of the form. */
    field: (name: string) => errors.value.byField[name] ?? [],
    /** What belongs to no field of the form, for one alert. */
    general: computed(() => errors.value.general ?? failure.value),
  };
}

/**
 * Turns one of the registration's checks (useRegister.ts) into a Vuetify rule worded like
 * the registration form's, so a password or name is held to the same rules here.
 */
export function useRegistrationRule() {
  const { t } = useI18n();
  return (check: (value: string) => RegisterProblem | null) => (value: string) => {
    const problem = check(value);
    return problem === null || t(`account.register.rules.${problem}`);
  };
}

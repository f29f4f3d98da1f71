import { computed, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { ClientError } from '../graphql/errors';

/** A wait as a person reads it: whole seconds under a minute, then minutes, then hours, rounded up. */
export function retryWait(seconds: number): { value: number; unit: 'second' | 'minute' | 'hour' } {
  if (seconds < 60) return { value: Math.max(1, Math.ceil(seconds)), unit: 'second' };
  if (seconds < 3600) return { value: Math.ceil(seconds / 60), unit: 'minute' };
  return { value: Math.ceil(seconds / 3600), unit: 'hour' };
}

/**
 * What to show for a failed request: for a rate limit, when to try again, in the reader's
 * language; else the server's own message when it sent one, else our wording (it never
 * answered, or answered without a message).
 */
export function useErrorMessage(error: Readonly<Ref<ClientError | null>>) {
  const { t, locale } = useI18n();
  return computed(() => {
    if (!error.value) return '';
    if (error.value.code === 'RATE_LIMITED') {
      if (error.value.retryAfter === undefined) return t('errors.rateLimitedLater');
      const { value, unit } = retryWait(error.value.retryAfter);
      return t('errors.rateLimited', { when: new Intl.RelativeTimeFormat(locale.value, { numeric: 'always' }).format(value, unit) });
    }
    if (error.value.message) return error.value.message;
    return error.value.code === 'NETWORK' ? t('errors.network') : t('errors.unknown');
  });
}

import { computed, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { ClientError } from '../graphql/errors';

/**
 * What to show for a failed request: the server's own message when it sent one,
 * else our wording (it never answered, or answered without a message).
 */
export function useErrorMessage(error: Readonly<Ref<ClientError | null>>) {
  const { t } = useI18n();
  return computed(() => {
    if (!error.value) return '';
    if (error.value.message) return error.value.message;
    return error.value.code === 'NETWORK' ? t('errors.network') : t('errors.unknown');
  });
}

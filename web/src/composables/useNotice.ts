/**
 * A notice for whatever page comes next, when the one that had something to say is gone
 * (the account was deleted: its settings page gives way to the login page).
 */
import { readonly, ref } from 'vue';

/** A message key of the notice on show, if any. */
const notice = ref<string | null>(null);

/** Shows the message of `key` (a locale key) over whichever page is open. */
export function showNotice(key: string): void {
  notice.value = key;
}

export function useNotice() {
  return {
    notice: readonly(notice),
    dismiss: () => {
      notice.value = null;
    },
  };
}

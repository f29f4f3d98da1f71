/**
 * Focus for a form's first field, given once. Vuetify's `autofocus` focuses when an
 * IntersectionObserver reports the field and then 50 ms later, which on a busy machine is
 * after typing began: it moved the caret back mid-word (an e2e run typed its password into
 * the user-name field). Here the field is focused as it mounts, and only if nothing is.
 */
import { onMounted, type Ref } from 'vue';

/** Whether focus may be given: nobody is in a field yet. */
export function mayAutofocus(active: Element | null, body: HTMLElement | null): boolean {
  return active === null || active === body;
}

export function useAutofocus(field: Ref<{ focus(): void } | null | undefined>): void {
  onMounted(() => {
    if (mayAutofocus(document.activeElement, document.body)) field.value?.focus();
  });
}

import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { isLocale, locales, localeNames, type Locale } from '../locales';
import { readStorage, writeStorage } from '../utils/storage';

export const LOCALE_KEY = 'dash.locale';

/**
 * The language to start in: the one the user picked before, else the first of the
 * browser's languages we have (`ru-RU` → `ru`), else English.
 */
export function pickLocale(stored: string | null, preferred: readonly string[]): Locale {
  if (isLocale(stored)) return stored;
  for (const tag of preferred) {
    const language = tag.toLowerCase().split('-')[0];
    if (isLocale(language)) return language;
  }
  return 'en';
}

export function initialLocale(): Locale {
  return pickLocale(readStorage(LOCALE_KEY), navigator.languages ?? [navigator.language]);
}

/** The current language and a way to switch it, remembered across visits. */
export function useLocale() {
  const { locale } = useI18n();
  const current = computed(() => (isLocale(locale.value) ? locale.value : 'en'));

  function setLocale(next: Locale): void {
    locale.value = next;
    document.documentElement.lang = next;
    writeStorage(LOCALE_KEY, next);
  }

  return { locale: current, locales, localeNames, setLocale };
}

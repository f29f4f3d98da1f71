import { computed } from 'vue';
import { useTheme } from 'vuetify';
import { readStorage, writeStorage } from '../utils/storage';

export const THEME_KEY = 'dash.theme';

export type ThemePreference = 'light' | 'dark' | 'system';

/** The theme to start with: the one the user picked before, else the system's. */
export function storedTheme(): ThemePreference {
  const stored = readStorage(THEME_KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

/** Whether the page is dark now, and a toggle that remembers the choice. */
export function useThemePreference() {
  const theme = useTheme();
  const isDark = computed(() => theme.current.value.dark);

  function toggle(): void {
    const next = isDark.value ? 'light' : 'dark';
    void theme.change(next);
    writeStorage(THEME_KEY, next);
  }

  return { isDark, toggle };
}

import { computed } from 'vue';
import { useTheme } from 'vuetify';
import { readStorage, writeStorage } from '../utils/storage';

export const THEME_KEY = 'dash.theme';

export type ThemePreference = 'light' | 'dark' | 'system';

/** The order the app bar's toggle steps through. */
export const themePreferences: readonly ThemePreference[] = ['light', 'dark', 'system'];

export function isThemePreference(value: unknown): value is ThemePreference {
  return typeof value === 'string' && (themePreferences as readonly string[]).includes(value);
}

/** The theme to start with: the one the user picked before, else the system's. */
export function storedTheme(): ThemePreference {
  const stored = readStorage(THEME_KEY);
  return isThemePreference(stored) ? stored : 'system';
}

/** The choice after `current`: light → dark → system → light. */
export function nextThemePreference(current: ThemePreference): ThemePreference {
  return themePreferences[(themePreferences.indexOf(current) + 1) % themePreferences.length]!;
}

/**
 * The user's theme choice (light, dark, or following the system), whether the page is
 * dark now, and ways to change the choice; it is remembered across visits.
 */
export function useThemePreference() {
  const theme = useTheme();
  const isDark = computed(() => theme.current.value.dark);
  const preference = computed<ThemePreference>(() => {
    if (theme.isSystem.value) return 'system';
    return isThemePreference(theme.name.value) ? theme.name.value : 'system';
  });

  function setPreference(next: ThemePreference): void {
    void theme.change(next);
    writeStorage(THEME_KEY, next);
  }

  function cycle(): void {
    setPreference(nextThemePreference(preference.value));
  }

  return { isDark, preference, setPreference, cycle };
}

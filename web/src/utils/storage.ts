/**
 * Web storage that never throws: private modes and disabled storage make it fail,
 * and losing a preference must not break the app. `local` lasts; `session` lasts as
 * long as the tab (through reloads).
 */
type Area = 'local' | 'session';

function storage(area: Area): Storage {
  return area === 'local' ? window.localStorage : window.sessionStorage;
}

export function readStorage(key: string, area: Area = 'local'): string | null {
  try {
    return storage(area).getItem(key);
  } catch {
    return null;
  }
}

export function writeStorage(key: string, value: string | null, area: Area = 'local'): void {
  try {
    if (value === null) storage(area).removeItem(key);
    else storage(area).setItem(key, value);
  } catch {
    // The value still lives in memory for this tab.
  }
}

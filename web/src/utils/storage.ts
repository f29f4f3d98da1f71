/**
 * localStorage that never throws: private modes and disabled storage make it fail,
 * and losing a preference must not break the app.
 */
export function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStorage(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // The value still lives in memory for this tab.
  }
}

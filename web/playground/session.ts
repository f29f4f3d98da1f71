/**
 * What the playground keeps, and where: the signed-in session and GraphiQL's own state
 * (tabs, history) live in this browser tab's sessionStorage only. Never localStorage, which
 * every tab of the origin shares and which outlives the tab; never the URL.
 */
import type { Storage as GraphiQLStorage } from '@graphiql/toolkit';

/** Who is signed in to the playground. */
export interface PlaygroundSession {
  /** The opaque session token from `login` or `completeLogin`. */
  token: string;
  username: string;
}

/** The signed-in session, as React's useSyncExternalStore reads it. */
export interface SessionStore {
  get(): PlaygroundSession | null;
  /** Signs in (a session) or out (null); tells every listener. */
  set(session: PlaygroundSession | null): void;
  subscribe(listener: () => void): () => void;
}

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const SESSION_KEY = 'dash-playground:session';

/** Reads what {@link createSessionStore} wrote; anything else is no session. */
export function parseSession(text: string | null): PlaygroundSession | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { token, username } = value as Record<string, unknown>;
    return typeof token === 'string' && token && typeof username === 'string' ? { token, username } : null;
  } catch {
    return null;
  }
}

/** The session kept in `storage` (sessionStorage in the page; null: kept in memory only). */
export function createSessionStore(storage: KeyValueStorage | null): SessionStore {
  let current = parseSession(storage?.getItem(SESSION_KEY) ?? null);
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set(session) {
      current = session;
      if (session) storage?.setItem(SESSION_KEY, JSON.stringify(session));
      else storage?.removeItem(SESSION_KEY);
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** GraphiQL's keys: its StorageAPI puts this before every name it stores. */
const GRAPHIQL_PREFIX = 'graphiql:';

/**
 * GraphiQL's storage (it defaults to localStorage) over `storage`, limited to GraphiQL's own
 * keys: its "clear storage" setting clears them and leaves the session alone.
 */
export function graphiqlStorage(storage: Storage): GraphiQLStorage {
  const ownKeys = () => Array.from({ length: storage.length }, (_, i) => storage.key(i)).filter((key) => key?.startsWith(GRAPHIQL_PREFIX));
  return {
    getItem: (key) => storage.getItem(key),
    setItem: (key, value) => storage.setItem(key, value),
    removeItem: (key) => storage.removeItem(key),
    clear: () => ownKeys().forEach((key) => key && storage.removeItem(key)),
    get length() {
      return ownKeys().length;
    },
  };
}

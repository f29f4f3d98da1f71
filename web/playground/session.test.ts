import { describe, expect, it } from 'vitest';
import { createSessionStore, graphiqlStorage, parseSession } from './session';

/** sessionStorage's behaviour, in memory. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
    key: (index) => [...items.keys()][index] ?? null,
    get length() {
      return items.size;
    },
  };
}

describe('the session store', () => {
  it('keeps the session in the storage it is given, and tells its listeners', () => {
    const storage = memoryStorage();
    const store = createSessionStore(storage);
    const seen: unknown[] = [];
    const unsubscribe = store.subscribe(() => seen.push(store.get()));
    store.set({ token: 'dsh_abc', username: 'demo' });
    expect(createSessionStore(storage).get()).toEqual({ token: 'dsh_abc', username: 'demo' });
    store.set(null);
    expect(storage.length).toBe(0);
    unsubscribe();
    store.set({ token: 'dsh_def', username: 'demo' });
    expect(seen).toEqual([{ token: 'dsh_abc', username: 'demo' }, null]);
  });

  it('reads anything but its own JSON as no session', () => {
    for (const text of [null, '', 'dsh_abc', '{}', '{"token":"","username":"demo"}', '{"token":1,"username":"demo"}', '[]', 'null']) {
      expect(parseSession(text)).toBeNull();
    }
  });
});

describe("GraphiQL's storage", () => {
  it("clears and counts GraphiQL's keys only, leaving the session", () => {
    const storage = memoryStorage();
    createSessionStore(storage).set({ token: 'dsh_abc', username: 'demo' });
    const graphiql = graphiqlStorage(storage);
    graphiql.setItem('graphiql:tabState', '{}');
    graphiql.setItem('graphiql:queries', '[]');
    expect(graphiql.length).toBe(2);
    graphiql.clear();
    expect(graphiql.length).toBe(0);
    expect(createSessionStore(storage).get()?.username).toBe('demo');
  });
});

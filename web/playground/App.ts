/**
 * GraphiQL against the page's own API: the example tabs, the sign-in panel, the
 * documentation explorer (GraphiQL's reference plugin, fed by introspection) and the
 * history; a new connection, socket included, whenever the signed-in token changes.
 */
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { createElement as h, useEffect, useMemo, useSyncExternalStore } from 'react';
import { EXAMPLE_TABS } from './examples';
import { createPlaygroundConnection, endpointUrls } from './fetcher';
import { graphiqlStorage, type SessionStore } from './session';
import { signInPlugin } from './SignInPanel';
import { postWithFetch } from './sign-in';

export interface AppOptions {
  store: SessionStore;
  /** Whether the API answers introspection (GRAPHQL_INTROSPECTION); off: no schema is asked for. */
  introspection: boolean;
}

/** The component, with what it needs made once: GraphiQL compares plugins by identity. */
export function createApp({ store, introspection }: AppOptions) {
  const urls = endpointUrls(window.location);
  const signIn = signInPlugin(store, postWithFetch(urls.http));
  const plugins = [signIn, HISTORY_PLUGIN];
  const storage = graphiqlStorage(window.sessionStorage);

  return function App() {
    const session = useSyncExternalStore(store.subscribe, store.get);
    const token = session?.token ?? null;
    const connection = useMemo(() => createPlaygroundConnection(token, urls), [token]);
    useEffect(() => () => connection.dispose(), [connection]);

    return h(
      'div',
      { className: 'playground' },
      !introspection &&
        h(
          'p',
          { className: 'playground-banner', role: 'status' },
          'This server does not allow introspection (GRAPHQL_INTROSPECTION=false), so the schema cannot be loaded here: ',
          'no documentation, completion or checking as you type. Operations still run.',
        ),
      h(GraphiQL, {
        fetcher: connection.fetcher,
        // Without introspection there is no schema to ask for: null runs GraphiQL without one.
        ...(introspection ? {} : { schema: null }),
        defaultTabs: EXAMPLE_TABS,
        plugins,
        visiblePlugin: signIn,
        storage,
        // The token travels in the fetcher's own headers: never in the headers editor, so never in GraphiQL's storage.
        shouldPersistHeaders: false,
        showPersistHeadersSettings: false,
        defaultEditorToolsVisibility: 'variables',
      }),
    );
  };
}

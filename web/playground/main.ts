/** The playground's entry: styles, Monaco's workers, then GraphiQL into #playground. */
import './style-nonce';
import '@fontsource/roboto/400.css';
import '@fontsource/roboto/500.css';
// GraphiQL's styles without the fonts its style.css inlines as data: URIs (see playground.css).
import '@graphiql/react/style.css';
import '@graphiql/plugin-doc-explorer/style.css';
import '@graphiql/plugin-history/style.css';
import 'graphiql/graphiql.css';
import './playground.css';
import './monaco-workers';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { createApp } from './App';
import { createSessionStore } from './session';

const introspection = document.querySelector<HTMLMetaElement>('meta[name="graphql-introspection"]')?.content !== 'off';
const App = createApp({ store: createSessionStore(window.sessionStorage), introspection });
createRoot(document.getElementById('playground')!).render(createElement(App));

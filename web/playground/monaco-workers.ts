/**
 * Monaco's web workers, as Vite builds them (`?worker`: a file under /playground/assets, so
 * the page's worker-src 'self' admits them). GraphiQL ships the same for Vite
 * (graphiql/setup-workers/vite), which also logs each worker it starts.
 */
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import JsonWorker from 'monaco-editor/esm/vs/language/json/json.worker.js?worker';
import GraphQLWorker from 'monaco-graphql/esm/graphql.worker.js?worker';

// Typed by monaco-editor's editor.api.d.ts (window.MonacoEnvironment).
window.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    if (label === 'graphql') return new GraphQLWorker();
    if (label === 'json') return new JsonWorker();
    return new EditorWorker();
  },
};

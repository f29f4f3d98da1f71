/** History and search, driven from the main thread one request at a time (latency, not throughput). */
import { uuidOf, wordOf } from './db.js';
import { Histogram } from './histogram.js';
import { round } from './report.js';
import type { Target } from './servers.js';

export interface QueryPlan {
  historyMessages: number;
  historyRequests: number;
  searchMessages: number;
  searchConversations: number;
  searchRequestsPerQuery: number;
}

async function timedQueries(url: string, token: string, requests: { query: string; variables: Record<string, unknown> }[], check: (data: unknown) => number) {
  const h = new Histogram();
  let results = 0;
  for (const [i, request] of requests.entries()) {
    const started = performance.now();
    const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(request) });
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    const elapsed = performance.now() - started;
    if (body.errors || !body.data) throw new Error(`query failed: ${JSON.stringify(body.errors)}`);
    results += check(body.data);
    if (i >= 3) h.record(elapsed * 1000); // the first few warm up
  }
  return { latencyMs: h.summary(), meanResults: round(results / requests.length, 1) };
}

export async function historyAndSearch(target: Target, plan: QueryPlan, token: string, log: (line: string) => void) {
  const url = target.httpUrls[0]!;
  const HISTORY = 'query History($c: ID!, $b: Int) { messages(conversationId: $c, before: $b, limit: 50) { hasMore messages { id seq body createdAt sender { id } } } }';
  const conv = uuidOf(4, 0);
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  log(`\n[api] history: pages of 50 in a conversation of ${plan.historyMessages} messages, ${plan.historyRequests} requests one at a time`);
  const history = await timedQueries(
    url,
    token,
    Array.from({ length: plan.historyRequests }, (_, i) => ({ query: HISTORY, variables: { c: conv, b: i % 10 === 0 ? null : 51 + Math.floor(random() * (plan.historyMessages - 50)) } })),
    (data) => (data as { messages: { messages: unknown[] } }).messages.messages.length,
  );
  log(`  page p50/p95/p99/max ${history.latencyMs.p50}/${history.latencyMs.p95}/${history.latencyMs.p99}/${history.latencyMs.max} ms (${history.meanResults} messages a page)`);

  const SEARCH = 'query Search($q: String!) { searchMessages(query: $q, first: 20) { nodes { id body createdAt } pageInfo { hasNextPage endCursor } } }';
  const classes: Record<string, string> = {
    'common word (in ~38% of messages)': wordOf(0),
    'mid-frequency word (~1%)': wordOf(50),
    'rare word (~0.1%)': wordOf(3000),
    'two words': `${wordOf(20)} ${wordOf(200)}`,
    'absent word': 'qqqzzzx',
  };
  log(`\n[api] search: ${plan.searchMessages} messages, ${plan.searchRequestsPerQuery} requests per query, the searcher in half of the ${plan.searchConversations} conversations`);
  const byClass: Record<string, unknown> = {};
  for (const [label, q] of Object.entries(classes)) {
    const r = await timedQueries(url, token, Array.from({ length: plan.searchRequestsPerQuery + 3 }, () => ({ query: SEARCH, variables: { q } })), (data) => (data as { searchMessages: { nodes: unknown[] } }).searchMessages.nodes.length);
    byClass[label] = { query: q, ...r };
    log(`  ${label.padEnd(36)} p50/p95/max ${r.latencyMs.p50}/${r.latencyMs.p95}/${r.latencyMs.max} ms, ${r.meanResults} hits a page`);
  }
  return { history, search: byClass };
}

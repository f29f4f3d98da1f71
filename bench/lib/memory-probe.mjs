/**
 * Preloaded into each measured server by the benchmark (`node --expose-gc --import <this>`,
 * see servers.ts). On SIGUSR2 it collects garbage — twice, so what the first collection only
 * unlinked (weak references, finalizers) goes too — and prints what the process still holds
 * as one JSON line on stdout: {"benchMemory":{"heapUsed":…,"external":…,"rss":…}}.
 * Nothing else: the server runs as it would without it.
 */
process.on('SIGUSR2', () => {
  globalThis.gc();
  globalThis.gc();
  const { heapUsed, external, rss } = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ benchMemory: { heapUsed, external, rss } })}\n`);
});

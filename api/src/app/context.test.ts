import { describe, expect, it } from 'vitest';
import type { Services } from './services.js';
import { releaseLoaders, withLazyLoaders } from './context.js';
import type { Loaders } from './loaders.js';

describe('a context’s loaders', () => {
  it('are made on first use, kept while in use, and made afresh after being let go', () => {
    let made = 0;
    const ctx = withLazyLoaders({ viewer: null, ip: null, userAgent: null, services: {} as Services }, () => ({ n: ++made }) as unknown as Loaders);
    expect(made).toBe(0);
    const first = ctx.loaders;
    expect(ctx.loaders).toBe(first);
    releaseLoaders(ctx);
    expect(made).toBe(1);
    expect(ctx.loaders).not.toBe(first);
    expect(made).toBe(2);
    // Apollo copies a request's context with Object.assign: the loaders go with the copy
    expect(Object.assign({}, ctx).loaders).toBe(ctx.loaders);
  });
});

/** What every resolver receives: who is calling, from where, and the services. */
import type { Services } from './services.js';
import type { Loaders } from './loaders.js';

export interface Viewer {
  userId: string;
  sessionId: string;
}

export interface Context {
  /** The signed-in caller, or null. */
  viewer: Viewer | null;
  ip: string | null;
  userAgent: string | null;
  services: Services;
  /** Batching loaders for this request (for a subscription: renewed for every event). */
  loaders: Loaders;
}

/** The viewer of a context where the auth checker already required one. */
export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw new Error('requireViewer called on an unauthenticated context');
  return ctx.viewer;
}

const releasers = new WeakMap<object, () => void>();

/** `base` with `loaders` made on first use (and replaceable, as a subscription does for each event). */
export function withLazyLoaders(base: Omit<Context, 'loaders'>, create: () => Loaders): Context {
  let loaders: Loaders | undefined;
  const context = Object.defineProperty(base, 'loaders', {
    get: () => (loaders ??= create()),
    set: (next: Loaders) => {
      loaders = next;
    },
    // Apollo copies a request's context with Object.assign: the loaders must go with it.
    enumerable: true,
  }) as Context;
  releasers.set(context, () => (loaders = undefined));
  return context;
}

/**
 * Lets a context's loaders go, with the rows they hold: a subscription's context lives as
 * long as its socket, the loaders of an event only as long as the event. The next use
 * makes fresh ones.
 */
export function releaseLoaders(ctx: Context): void {
  releasers.get(ctx)?.();
}

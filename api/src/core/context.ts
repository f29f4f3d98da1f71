/** What every resolver receives: who is calling, from where, and the services. */
import type { Services } from '../app/services.js';

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
}

/** The viewer of a context where the auth checker already required one. */
export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw new Error('requireViewer called on an unauthenticated context');
  return ctx.viewer;
}

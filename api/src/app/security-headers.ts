/**
 * Security headers on every response (helmet), and the Content-Security-Policy the web
 * client runs under. The policy allows nothing inline but the one <style> element that
 * Vuetify writes its theme into, which carries a nonce made for each response: the server
 * puts it into index.html (web-client.ts) and the client hands it to Vuetify (`theme.cspNonce`).
 * 'unsafe-inline' for styles would have been simpler, but it also lets injected markup
 * restyle the page (overlay a fake sign-in form, hide warnings) — the nonce costs one
 * string replacement per page load. The playground's page has a policy of its own
 * ({@link playgroundPolicy}).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet, { contentSecurityPolicy } from 'helmet';
import type { Config } from '../config/env.js';

const nonces = new WeakMap<ServerResponse, string>();

/** The style nonce of this response's Content-Security-Policy, made on first use. */
export function cspNonce(res: ServerResponse): string {
  let nonce = nonces.get(res);
  if (!nonce) {
    nonce = randomBytes(16).toString('base64');
    nonces.set(res, nonce);
  }
  return nonce;
}

/**
 * Powerful features the client never uses, refused for it and for anything it might embed.
 * Only features Chromium knows: it logs an error for every unknown name.
 */
const PERMISSIONS_POLICY = ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'serial', 'hid', 'midi', 'display-capture']
  .map((feature) => `${feature}=()`)
  .join(', ');

/** Whether the public address is https: HSTS and `upgrade-insecure-requests` then. */
function servedOverTls(config: Pick<Config, 'publicUrl'>): boolean {
  return config.publicUrl?.startsWith('https:') ?? false;
}

/** The web client's policy. */
function appDirectives(tls: boolean) {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    // Vue sets element styles through the CSSOM, which the policy does not govern;
    // style attributes in markup (and v-html) stay blocked.
    'style-src': ["'self'", (_req: IncomingMessage, res: ServerResponse) => `'nonce-${cspNonce(res)}'`],
    // Fonts are files (vite.config.ts keeps them out of the CSS as data: URIs).
    'font-src': ["'self'"],
    'img-src': ["'self'"],
    // CSP3: 'self' also matches ws:/wss: on the page's own host and port (the graphql-ws socket).
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(tls ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/**
 * The playground's page (playground.ts) replaces the app's policy with this one, which differs
 * in two places, both for Monaco, GraphiQL's editor:
 * - style attributes: Monaco draws every line, cursor and selection as HTML strings with
 *   `style="top:…;left:…"` set through innerHTML. A nonce covers elements, never attributes,
 *   and without 'unsafe-inline' for them the editors do not render;
 * - data: images: the wavy underline of an error in the editor is an SVG that Monaco writes
 *   into its theme's CSS as a data: URL, in the theme's colours.
 * Style *elements* still need the page's nonce (the playground gives it to the ones Monaco and
 * GraphiQL make, web/playground/style-nonce.ts); scripts, workers, fonts and connections stay
 * 'self' only, and there is no 'unsafe-eval'. The app's own pages never get this policy.
 */
export function playgroundPolicy(config: Pick<Config, 'publicUrl'>): RequestHandler {
  return contentSecurityPolicy({
    useDefaults: false,
    directives: {
      ...appDirectives(servedOverTls(config)),
      'style-src-attr': ["'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
    },
  });
}

/**
 * The middleware that sets the headers; mount it before anything that answers.
 * HSTS and `upgrade-insecure-requests` only when the public address is https: on plain
 * http (a laptop, a LAN) they would send browsers to a TLS port nobody listens on.
 */
export function securityHeaders(config: Pick<Config, 'publicUrl'>): RequestHandler {
  const tls = servedOverTls(config);
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: appDirectives(tls) },
    strictTransportSecurity: tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  return (req, res, next) => {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    headers(req, res, next);
  };
}

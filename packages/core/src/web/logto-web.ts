/**
 * The framework-free web integration: one object per app, opening one {@link LogtoRequest} per
 * request. Core owns the web protocol (routes, guard, errors, cookies); adapters translate.
 *
 * @module
 */
import { resolveConfig } from '../config.js';
import { SessionManager } from '../session/session-manager.js';
import type { Action, WebContext } from './context.js';
import { LogtoRequest } from './logto-request.js';
import { checkWebOptions, type LogtoRoutes, type LogtoWebOptions } from './options.js';
import { MemoryReplayCache } from './replay-cache.js';
import type { WebRequestInit } from './request-types.js';

const defaultRoutes: LogtoRoutes = {
  signIn: '/sign-in',
  signUp: '/sign-up',
  callback: '/callback',
  signOut: '/sign-out',
  backchannelLogout: '/backchannel-logout',
};

/** A value inside a quoted-string (RFC 9110 §5.6.4): `"` and `\` escaped. */
const quoted = (value: string): string => `"${value.replace(/["\\]/g, '\\$&')}"`;

/**
 * The framework-free half of a web integration, created once per app: it validates the options
 * (one schema, every problem at once) and opens a {@link LogtoRequest} per request. Adapters
 * (Express, Hono, …) only turn their request into {@link WebRequestInit} and core's
 * {@link WebResponse}s back into theirs.
 *
 * @example
 * ```ts
 * const web = new LogtoWeb({ endpoint, appId, appSecret, baseUrl: 'http://localhost:3000',
 *                            session: { secret: process.env.SESSION_SECRET! } });
 * const request = web.request({ method: 'GET', target: '/protected', cookie: header });
 * const routed = request.route(); // the auth routes; undefined for the app's own
 * const { cookies } = await request.finish(200);
 * ```
 */
export class LogtoWeb<Req = unknown> {
  /** The route paths, defaults filled in. */
  readonly routes: Readonly<LogtoRoutes>;
  readonly #context: WebContext;

  /** @throws TypeError naming every problem with the options. */
  constructor(options: LogtoWebOptions<Req>) {
    const clientConfig = checkWebOptions(options);
    const config = resolveConfig(clientConfig);
    const baseUrl = new URL(options.baseUrl);
    const base = baseUrl.href.replace(/\/+$/, '');
    const routes = Object.freeze({ ...defaultRoutes, ...stripUndefined(options.routes ?? {}) });
    this.routes = routes;
    const actions = new Map(
      Object.entries(routes).map(([action, path]) => [path, action as Action]),
    );
    if (actions.size !== Object.keys(routes).length) {
      throw new TypeError('Invalid Logto options (routes: each route needs its own path).');
    }
    this.#context = Object.freeze({
      options: options as LogtoWebOptions<never>,
      config,
      sessions: new SessionManager({ ...options.session, baseUrl }),
      routes,
      actions,
      baseUrl,
      base,
      redirectUri: `${base}${routes.callback}`,
      postLogoutRedirectUri: options.postLogoutRedirectUri ?? `${base}/`,
      logger: config.logger,
      replayCache: options.backchannelLogout?.replayCache ?? new MemoryReplayCache(),
      wwwAuthenticate: `Logto realm=${quoted(baseUrl.origin)}, sign_in_uri=${quoted(routes.signIn)}`,
      signInOptionsFor: options.signInOptionsFor as WebContext['signInOptionsFor'],
    });
  }

  /** The redirect URI registered in Logto: `baseUrl` + `routes.callback`. */
  get redirectUri(): string {
    return this.#context.redirectUri;
  }

  /**
   * One request's view. Nothing is read yet: the session cookie is decrypted (or the store read)
   * on first use. A tampered, expired or undecryptable cookie reads as signed out and is
   * cleared by {@link LogtoRequest.finish}; bad input never throws.
   */
  request(init: WebRequestInit<Req>): LogtoRequest {
    // The request only hands `native` back to the functions that came with it.
    return new LogtoRequest(this.#context, init as WebRequestInit<unknown>);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * `createLogto()`: one object per app holding the auth route handlers, `getLogto()`, the
 * sign-in / sign-out Server Action helpers and the proxy.
 *
 * @module
 */
import { type LogtoRoutes, LogtoWeb, type LogtoWebOptions } from '@logto-kit/core';
import {
  type AuthenticatedOptions,
  type AuthenticatedRouteHandler,
  authenticated,
  type LogtoUser,
} from './authenticated.js';
import { getLogto, type LogtoSession } from './get-logto.js';
import { handleErrors } from './handle-errors.js';
import { createProxy, type LogtoProxyOptions } from './proxy.js';
import {
  type AccessTokenRouteHandler,
  type RequireAccessTokenNextOptions,
  type RouteContext,
  type RouteHandler,
  type RouteParams,
  requireAccessToken,
} from './require-access-token.js';
import { type RequireUserOptions, requireUser } from './require-user.js';
import { type LogtoRouteHandlers, routeHandlers } from './route-handler.js';
import { type SignInActionOptions, signIn, signOut } from './server-actions.js';

/**
 * Options of {@link createLogto}: core's web options (`baseUrl` makes every redirect URI, never
 * the `Host` header). The auth routes default to `/auth/sign-in`, `/auth/sign-up`,
 * `/auth/callback`, `/auth/sign-out` and `/auth/backchannel-logout`, served by one catch-all
 * route handler at `app/auth/[action]/route.ts`; `signInOptionsFor` receives the Web `Request`.
 */
export type LogtoNextOptions = LogtoWebOptions<Request>;

/** What {@link createLogto} returns. */
export interface LogtoNext {
  /** The route paths (defaults filled in) and the redirect URI to register in Logto. */
  readonly routes: Readonly<LogtoRoutes>;
  readonly redirectUri: string;
  /** `export const { GET, HEAD, POST } = logto.handlers;` in `app/auth/[action]/route.ts`. */
  readonly handlers: LogtoRouteHandlers;
  /** The signed-in user, in Server Components, Server Actions and Route Handlers. */
  getLogto(): LogtoSession;
  /** Inside a Server Action: start a sign-in and redirect to Logto. */
  signIn(options?: SignInActionOptions): Promise<never>;
  /** Inside a Server Action: sign out and redirect to Logto's end-session page. */
  signOut(): Promise<never>;
  /** The `proxy` function to export from `proxy.ts`. */
  proxy(options?: LogtoProxyOptions): (request: Request) => Promise<Response>;
  /**
   * In a Server Component (or Server Action): the signed-in user who passes the rules;
   * otherwise a redirect to sign-in (back to `returnTo`), or a refusal (`forbidden()` with
   * `experimental.authInterrupts`, else `notFound()`).
   */
  requireUser(options?: RequireUserOptions): Promise<LogtoUser>;
  /**
   * A Route Handler for signed-in users who pass the rules: 401 JSON signed out, 403 for a
   * user who fails a rule.
   */
  authenticated<Params = RouteParams>(
    options: AuthenticatedOptions,
    handler: AuthenticatedRouteHandler<Params>,
  ): RouteHandler<Params>;
  /**
   * A Route Handler whose `LogtoError`s are answered as the other adapters' error handlers
   * answer them: a page or JSON, the status by meaning, a refused session ended first.
   */
  handleErrors<Params = RouteParams>(
    handler: (request: Request, context?: RouteContext<Params>) => Response | Promise<Response>,
  ): RouteHandler<Params>;
  /**
   * A Route Handler for an API that takes Logto access tokens (RFC 6750); `endpoint` (and
   * `fetch`, `timeout`, `logger`) default to the app's. The standalone `requireAccessToken()`
   * does the same without `createLogto()`.
   */
  requireAccessToken<Params = RouteParams>(
    options: AppAccessTokenOptions<Params>,
    handler: AccessTokenRouteHandler<Params>,
  ): RouteHandler<Params>;
}

/** Options of `logto.requireAccessToken()`: `requireAccessToken()`'s, with the app's `endpoint` by default. */
export type AppAccessTokenOptions<Params = RouteParams> = Omit<
  RequireAccessTokenNextOptions<Params>,
  'endpoint'
> & { endpoint?: string | undefined };

const authRoutes = {
  signIn: '/auth/sign-in',
  signUp: '/auth/sign-up',
  callback: '/auth/callback',
  signOut: '/auth/sign-out',
  backchannelLogout: '/auth/backchannel-logout',
  refresh: '/auth/refresh',
};

/**
 * Logto for a Next.js App Router app. Create it once in a module of your own (`lib/logto.ts`)
 * and import that from the route handler, pages, actions and `proxy.ts`.
 *
 * @example
 * ```ts
 * const logto = createLogto({
 *   endpoint: 'http://localhost:3001',
 *   appId: 'my-app',
 *   appSecret: process.env.LOGTO_APP_SECRET,
 *   baseUrl: 'http://localhost:3000',
 *   session: { secret: process.env.SESSION_SECRET! },
 * });
 * const claims = await logto.getLogto().getClaims();
 * ```
 */
export function createLogto(options: LogtoNextOptions): LogtoNext {
  const web = new LogtoWeb<Request>({ ...options, routes: { ...authRoutes, ...options.routes } });
  return {
    routes: web.routes,
    redirectUri: web.redirectUri,
    handlers: routeHandlers(web),
    getLogto: () => getLogto(web),
    signIn: (signInOptions) => signIn(web, signInOptions),
    signOut: () => signOut(web),
    proxy: (proxyOptions) => createProxy(web, proxyOptions),
    requireUser: (userOptions) => requireUser(web, userOptions),
    authenticated: (guardOptions, handler) => authenticated(web, guardOptions, handler),
    handleErrors: (handler) => handleErrors(web, handler),
    requireAccessToken: (tokenOptions, handler) =>
      requireAccessToken(
        {
          fetch: options.fetch,
          timeout: options.timeout,
          logger: options.logger,
          ...tokenOptions,
          endpoint: tokenOptions.endpoint ?? options.endpoint,
        },
        handler,
      ),
  };
}

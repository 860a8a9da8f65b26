/**
 * `requireAccessToken()` for Route Handlers: an API route that takes a Logto access token
 * (`Authorization: Bearer`), as the other adapters' middleware; core's `AccessTokenGuard`
 * decides, this only hands it the header and returns its answer.
 *
 * @module
 */
import {
  type AccessTokenAuth,
  AccessTokenGuard,
  type RequireAccessTokenOptions,
  toFetchResponse,
} from '@logto-kit/core';

/** A dynamic segment's value: one for `[id]`, several for `[...slug]`. */
export type RouteParams = Record<string, string | string[] | undefined>;

/**
 * The second argument Next.js passes a Route Handler: the dynamic segments, as a promise.
 *
 * @example
 * ```ts
 * const context: RouteContext<{ org: string }> = { params: Promise.resolve({ org: 'acme' }) };
 * ```
 */
export interface RouteContext<Params = RouteParams> {
  params: Promise<Params>;
}

/**
 * What an `organization` function of {@link requireAccessToken} receives: the request and the
 * route's dynamic segments, already awaited.
 *
 * @example
 * ```ts
 * const organization = ({ params }: RouteRequest<{ org: string }>) => params.org;
 * ```
 */
export interface RouteRequest<Params = RouteParams> {
  request: Request;
  params: Params;
}

/**
 * Options of {@link requireAccessToken}: core's (`endpoint`, `resource`, `organization`,
 * `scopes`, `anyScope`, …); an `organization` function receives the request and its params.
 */
export type RequireAccessTokenNextOptions<Params = RouteParams> = RequireAccessTokenOptions<
  RouteRequest<Params>
>;

/**
 * A Route Handler behind {@link requireAccessToken}: the request, the verified token, and Next's
 * context.
 */
export type AccessTokenRouteHandler<Params = RouteParams> = (
  request: Request,
  auth: AccessTokenAuth,
  context: RouteContext<Params>,
) => Response | Promise<Response>;

/** A Route Handler as Next.js calls it (`export const GET = …`). */
export type RouteHandler<Params = RouteParams> = (
  request: Request,
  context?: RouteContext<Params>,
) => Promise<Response>;

/** The context of a Route Handler called without one (a static route in a test). */
export const noParams: RouteContext<never> = { params: Promise.resolve({} as never) };

/**
 * Protects a Route Handler with Logto access tokens; core decides. A valid `Authorization:
 * Bearer` JWT for `resource` (and `organization`, `scopes`) reaches `handler` with the verified
 * token; otherwise the RFC 6750 answer: 401 (`invalid_token`, or a bare `Bearer` challenge
 * without a token), 403 `insufficient_scope`, 400 `invalid_request`, and 503 when the provider
 * cannot be reached. Needs no `createLogto()`, no session and no proxy: options are checked once,
 * here (a `TypeError` naming every problem).
 *
 * @example
 * ```ts
 * // app/api/orgs/[org]/projects/route.ts
 * const GET = requireAccessToken<{ org: string }>(
 *   { endpoint: 'https://tenant.logto.app', resource: 'https://api.example.com',
 *     organization: ({ params }) => params.org, scopes: ['read:projects'] },
 *   async (request, auth) => Response.json({ user: auth.subject, organization: auth.organizationId }),
 * );
 * ```
 */
export function requireAccessToken<Params = RouteParams>(
  options: RequireAccessTokenNextOptions<Params>,
  handler: AccessTokenRouteHandler<Params>,
): RouteHandler<Params> {
  const guard = new AccessTokenGuard<RouteRequest<Params>>(options);
  return async (request, context = noParams) => {
    const params = await context.params;
    const result = await guard.check({
      authorization: request.headers.get('authorization'),
      native: { request, params },
    });
    if ('response' in result) return toFetchResponse(result.response);
    return handler(request, result.auth, context);
  };
}

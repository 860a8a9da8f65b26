/**
 * `logto.authenticated()` for Route Handlers: the session's user, and who may call, as
 * `authenticated()` in the other adapters; core's guard decides.
 *
 * @module
 */
import {
  type GuardOptions,
  type IdTokenClaims,
  type LogtoRequest,
  type LogtoWeb,
  toFetchResponse,
  type UserInfo,
} from '@logto-kit/core';
import { withRequest } from './deliver.js';
import { handleErrors } from './handle-errors.js';
import {
  noParams,
  type RouteContext,
  type RouteHandler,
  type RouteParams,
} from './require-access-token.js';

/**
 * The signed-in user a guard lets through: the ID token claims, or the userinfo with
 * `fetchUserInfo`.
 */
export interface LogtoUser extends Partial<IdTokenClaims>, Partial<UserInfo> {
  sub: string;
}

/**
 * Options of `logto.authenticated()`, core's: `shouldRedirect` (a signed-out GET goes to
 * sign-in and comes back; otherwise 401 JSON), `fetchUserInfo`, and the rules `roles`,
 * `organization`, `organizationRoles`, `scopes` (with `resource`) and `check`.
 */
export type AuthenticatedOptions = GuardOptions;

/** A Route Handler behind `logto.authenticated()`: the request, the user, and Next's context. */
export type AuthenticatedRouteHandler<Params = RouteParams> = (
  request: Request,
  user: LogtoUser,
  context: RouteContext<Params>,
) => Response | Promise<Response>;

const hasHeader = (response: Response, name: string): boolean => response.headers.has(name);
const setHeader = (response: Response, name: string, value: string): void =>
  response.headers.set(name, value);

/** Core's headers for a response that read the session (`no-store`), where the app set none. */
function withSessionHeaders(request: LogtoRequest, response: Response): Response {
  try {
    request.applyResponseHeaders(response, hasHeader, setHeader);
    return response;
  } catch (error) {
    // Immutable headers (`Response.redirect()`, a fetched response): the same, on a copy.
    if (!(error instanceof TypeError)) throw error;
    const copy = new Response(response.body, response);
    request.applyResponseHeaders(copy, hasHeader, setHeader);
    return copy;
  }
}

/**
 * Guards a Route Handler; core decides. Signed out: `401 {"error":"not_authenticated",…}` with
 * `WWW-Authenticate` (or, with `shouldRedirect`, a GET goes to sign-in and comes back). Signed
 * in but failing a rule: 403 (core's page for `Accept: text/html`, JSON otherwise), never a
 * sign-in loop. A provider failure: its 502/503/504 answer. Otherwise `handler` runs with the
 * user. The session is read from and written to Next's `cookies()`, so `getLogto()` inside
 * `handler` sees what the guard refreshed. A `LogtoError` `handler` throws is answered as
 * {@link handleErrors} answers it.
 *
 * @example
 * ```ts
 * const GET = authenticated(web, { roles: ['admin'] }, async (request, user) =>
 *   Response.json({ admin: user.sub }),
 * );
 * ```
 */
export function authenticated<Params = RouteParams>(
  web: LogtoWeb<Request>,
  options: AuthenticatedOptions,
  handler: AuthenticatedRouteHandler<Params>,
): RouteHandler<Params> {
  return handleErrors(web, async (incoming, context = noParams) => {
    let opened: LogtoRequest | undefined;
    const result = await withRequest(
      web,
      (request) => {
        opened = request;
        return request.guard(options);
      },
      {},
      {
        method: incoming.method,
        target: incoming.url, // only its path and query count: URLs come from baseUrl
        accept: incoming.headers.get('accept'),
      },
    );
    const request = opened as LogtoRequest;
    if ('response' in result) return withSessionHeaders(request, toFetchResponse(result.response));
    return withSessionHeaders(request, await handler(incoming, result.user as LogtoUser, context));
  });
}

/**
 * The refresh route (`routes.refresh`, off unless configured; the Next.js adapter mounts it at
 * `/auth/refresh`): where a step that cannot send cookies sends the browser for a refresh it
 * needs. It gets the token asked for (spending the refresh token here, where the rotated one
 * reaches the browser), then goes back.
 *
 * @module
 */
import type { IdTokenClaims } from '../claims.js';
import type { AccessTokenOptions, LogtoClient } from '../client.js';
import { OrganizationsScopeRequiredError } from '../errors.js';
import type { WebContext } from './context.js';
import { safeReturnTo } from './return-to.js';
import { redirectTo, type WebResponse } from './web-response.js';

/** What the route needs of its request (a `LogtoRequest`). */
export interface RefreshingRequest {
  readonly url: URL;
  readonly client: LogtoClient;
  signedInClaims(): Promise<IdTokenClaims | undefined>;
  endSessionIfRejected(error: unknown): Promise<boolean>;
}

/**
 * `GET <refresh>?returnTo=<path>[&resource=<indicator>][&organization=<id>]`: makes the session
 * hold a fresh token for that target (the default one when neither is given), then a 303 to
 * `returnTo` (this origin only; `/` otherwise). Signed out, or a refresh token the provider
 * refuses (the session is ended): a 303 to sign-in that comes back to `returnTo`. A provider or
 * store failure is thrown, for the route's error page (503/504 with "Try again").
 *
 * @example
 * ```ts
 * const response = await refreshRoute(request, context);
 * ```
 */
export async function refreshRoute(
  request: RefreshingRequest,
  context: WebContext,
): Promise<WebResponse> {
  const query = request.url.searchParams;
  const returnTo = safeReturnTo(query.get('returnTo'), context.baseUrl) ?? '/';
  const signIn = redirectTo(`${context.routes.signIn}?returnTo=${encodeURIComponent(returnTo)}`);
  if (!(await request.signedInClaims())) return signIn;
  const organizationId = query.get('organization') || undefined;
  const options: AccessTokenOptions | undefined = organizationId ? { organizationId } : undefined;
  try {
    await request.client.getAccessToken(query.get('resource') || undefined, options);
  } catch (error) {
    if (await request.endSessionIfRejected(error)) return signIn;
    // A resource this app does not configure, or an organization without the scope: nothing
    // to refresh, and the page asking for it shows its own error.
    if (error instanceof TypeError || error instanceof OrganizationsScopeRequiredError) {
      return redirectTo(returnTo);
    }
    throw error;
  }
  return redirectTo(returnTo);
}

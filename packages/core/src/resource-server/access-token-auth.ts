/**
 * What a verified access token says about a request: the result of `requireAccessToken()`.
 *
 * @module
 */
import type { AccessTokenClaims } from '../claims.js';

/**
 * The verified access token of a request (`req.auth` in Express, `c.get('auth')` in Hono).
 *
 * @example
 * ```ts
 * function describe(auth: AccessTokenAuth): string {
 *   return `${auth.subject} via ${auth.clientId}: ${auth.scopes.join(' ')}`;
 * }
 * ```
 */
export interface AccessTokenAuth {
  /** `sub`: the user, or the application itself for a machine-to-machine token. */
  readonly subject: string;
  /** `client_id`: the application the token was issued to. */
  readonly clientId: string;
  /** The granted scopes (`scope`, split); empty when nothing was granted. */
  readonly scopes: readonly string[];
  /** The organization: `organization_id`, or the ID in an organization token's `aud`. */
  readonly organizationId: string | undefined;
  /** `aud`: the API indicator or `urn:logto:organization:<id>`. */
  readonly audience: string;
  /** `exp`, in epoch seconds. */
  readonly expiresAt: number;
  /** Whether it is a machine-to-machine token (`sub` is the application). */
  readonly isMachine: boolean;
  /** Every claim of the token. */
  readonly claims: Readonly<AccessTokenClaims>;
}

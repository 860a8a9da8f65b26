/**
 * One refresh-token grant: the request (Logto's `resource=` and `organization_id=`) and the
 * checks of its answer. No coordination here; see `session-refresh.ts`.
 *
 * @module
 */
import * as oidc from 'openid-client';
import type { IdTokenClaims } from '../claims.js';
import type { LogtoConfig } from '../config.js';
import type { ProviderMetadata } from '../discovery.js';
import { verifyIdToken } from '../id-token.js';
import { openidConfiguration, toLogtoError } from '../lib/openid.js';
import { count, traced, urlAttribute } from '../lib/telemetry.js';
import { accessTokenExpiry, type TokenTarget } from '../tokens.js';

/**
 * The extra token-request parameters of a target: `resource=` for an API resource,
 * `organization_id=` for an organization, both for an organization-scoped API token.
 *
 * @example
 * ```ts
 * refreshParameters({ resource: undefined, organizationId: 'org_1', key });
 * // URLSearchParams { organization_id: 'org_1' }
 * ```
 */
export function refreshParameters(target: TokenTarget): URLSearchParams {
  const params = new URLSearchParams();
  if (target.resource !== undefined) params.set('resource', target.resource);
  if (target.organizationId !== undefined) params.set('organization_id', target.organizationId);
  return params;
}

/**
 * How long the token request of a refresh may run: twice the timeout. Its caller gives up at the
 * timeout (`session-refresh.ts`); the exchange goes on a while longer so that a token response
 * that arrives late — after the provider already rotated the refresh token — is still kept.
 *
 * @example
 * ```ts
 * refreshExchangeTimeout(config); // 20_000 with the default 10 s timeout
 * ```
 */
export function refreshExchangeTimeout(config: LogtoConfig): number {
  return 2 * config.timeout;
}

/**
 * The result of one refresh-token grant, ID token verified.
 *
 * @example (not checked: internal; the grant's five arguments come from the client)
 * ```ts
 * const { accessToken, refreshToken }: RefreshResult = await refreshTokens(…);
 * ```
 */
export interface RefreshResult {
  accessToken: string;
  /** Epoch seconds, margin included. */
  expiresAt: number;
  /** Epoch seconds when the token request started. */
  issuedAt: number;
  scope: string | undefined;
  /** The refresh token to keep: the rotated one, or the one used when the provider kept it. */
  refreshToken: string;
  idToken: string | undefined;
  idTokenClaims: IdTokenClaims | undefined;
}

/**
 * One refresh-token grant for a target. An ID token in the response is verified and must be
 * the same user (`iss`, `sub`, `aud`) as `previous`. Use the client (which coordinates
 * concurrent refreshes) rather than calling this directly.
 *
 * @example
 * ```ts
 * const result = await refreshTokens(config, metadata, refreshToken, target, previousClaims);
 * ```
 */
export async function refreshTokens(
  config: LogtoConfig,
  metadata: ProviderMetadata,
  refreshToken: string,
  target: TokenTarget,
  previous: IdTokenClaims | undefined,
): Promise<RefreshResult> {
  return traced('logto.refresh_grant', urlAttribute(metadata.token_endpoint), () => {
    count('logto.refreshes');
    return grant(config, metadata, refreshToken, target, previous);
  });
}

async function grant(
  config: LogtoConfig,
  metadata: ProviderMetadata,
  refreshToken: string,
  target: TokenTarget,
  previous: IdTokenClaims | undefined,
): Promise<RefreshResult> {
  const configuration = openidConfiguration(config, metadata, refreshExchangeTimeout(config));
  const startedAt = Date.now();
  let response: oidc.TokenEndpointResponse;
  try {
    response = await oidc.refreshTokenGrant(configuration, refreshToken, refreshParameters(target));
  } catch (error) {
    throw toLogtoError(error, 'token', { config, url: metadata.token_endpoint });
  }
  const idToken = response.id_token;
  const idTokenClaims = idToken
    ? await verifyIdToken(idToken, config, metadata, { previous })
    : undefined;
  return {
    accessToken: response.access_token,
    expiresAt: accessTokenExpiry(startedAt, response.expires_in),
    issuedAt: Math.floor(startedAt / 1000),
    scope: response.scope,
    refreshToken: response.refresh_token ?? refreshToken,
    idToken,
    idTokenClaims,
  };
}

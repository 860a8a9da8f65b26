/**
 * Sign-out: the end-session URL (Logto's `client_id`, `id_token_hint`,
 * `post_logout_redirect_uri`) and one attempt at revoking the refresh token (retried by
 * `revocation-retry.ts`).
 *
 * @module
 */
import * as oidc from 'openid-client';
import type { LogtoConfig } from './config.js';
import type { ProviderMetadata } from './discovery.js';
import { LogtoError } from './errors.js';
import { openidConfiguration, toLogtoError } from './lib/openid.js';

/**
 * What goes into the end-session URL.
 *
 * @example
 * ```ts
 * const parameters: SignOutParameters = { clientId: 'app-id', idTokenHint: idToken };
 * ```
 */
export interface SignOutParameters {
  clientId: string;
  idTokenHint?: string | undefined;
  postLogoutRedirectUri?: string | undefined;
}

/**
 * Builds the end-session URL. Pure.
 *
 * @example
 * ```ts
 * buildSignOutUrl('https://tenant.logto.app/oidc/session/end', {
 *   clientId: 'app-id',
 *   postLogoutRedirectUri: 'http://localhost:3000/',
 * }).href;
 * // 'https://tenant.logto.app/oidc/session/end?client_id=app-id&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A3000%2F'
 * ```
 */
export function buildSignOutUrl(endSessionEndpoint: string, parameters: SignOutParameters): URL {
  const url = new URL(endSessionEndpoint);
  url.searchParams.append('client_id', parameters.clientId);
  if (parameters.idTokenHint) url.searchParams.append('id_token_hint', parameters.idTokenHint);
  if (parameters.postLogoutRedirectUri) {
    url.searchParams.append('post_logout_redirect_uri', parameters.postLogoutRedirectUri);
  }
  return url;
}

/**
 * Revokes a refresh token at the provider, once. Resolves to `undefined` when it was revoked
 * (or the provider has no revocation endpoint), or to the `LogtoError` the provider's failure
 * maps to (down, slow, refusing): a sign-out goes on either way, and
 * `revocation-retry.ts` decides what happens next. Nothing is logged here; anything that is not
 * a `LogtoError` (a bug) is thrown.
 *
 * @example
 * ```ts
 * const failure = await revokeRefreshToken(config, metadata, refreshToken);
 * ```
 */
export async function revokeRefreshToken(
  config: LogtoConfig,
  metadata: ProviderMetadata,
  refreshToken: string,
): Promise<LogtoError | undefined> {
  if (!metadata.revocation_endpoint) return undefined;
  try {
    await oidc.tokenRevocation(openidConfiguration(config, metadata), refreshToken, {
      token_type_hint: 'refresh_token',
    });
    return undefined;
  } catch (error) {
    const mapped = toLogtoError(error, 'revocation');
    if (mapped instanceof LogtoError) return mapped;
    throw mapped;
  }
}

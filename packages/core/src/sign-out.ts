/**
 * Sign-out: the end-session URL (Logto's `client_id`, `id_token_hint`,
 * `post_logout_redirect_uri`) and the best-effort revocation of the refresh token.
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
 * Revokes a refresh token at the provider, best effort: a provider that is down, slow, or
 * without a revocation endpoint does not stop a sign-out, so those failures resolve to `false`.
 * Anything else (a bug) is thrown.
 *
 * @example
 * ```ts
 * const revoked = await revokeRefreshToken(config, metadata, refreshToken);
 * ```
 */
export async function revokeRefreshToken(
  config: LogtoConfig,
  metadata: ProviderMetadata,
  refreshToken: string,
): Promise<boolean> {
  if (!metadata.revocation_endpoint) return false;
  try {
    await oidc.tokenRevocation(openidConfiguration(config, metadata), refreshToken, {
      token_type_hint: 'refresh_token',
    });
    return true;
  } catch (error) {
    const mapped = toLogtoError(error, 'revocation', {
      config,
      url: metadata.revocation_endpoint,
    });
    if (mapped instanceof LogtoError) return false;
    throw mapped;
  }
}

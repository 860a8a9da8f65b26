/**
 * The sign-in callback: which sign-in the URL answers, whether it is acceptable, and the code
 * exchange with a verified ID token.
 *
 * @module
 */
import * as oidc from 'openid-client';
import type { IdTokenClaims } from './claims.js';
import type { LogtoConfig } from './config.js';
import type { ProviderMetadata } from './discovery.js';
import {
  AuthorizationError,
  InvalidCallbackError,
  InvalidGrantError,
  ProviderResponseError,
  SignInTransactionNotFoundError,
} from './errors.js';
import { verifyIdToken } from './id-token.js';
import { openidConfiguration, toLogtoError } from './lib/openid.js';
import { traced, urlAttribute } from './lib/telemetry.js';
import { originAndPath } from './lib/url.js';
import type { SignInTransaction } from './sign-in-transaction.js';
import { accessTokenExpiry } from './tokens.js';

/**
 * A callback that passed {@link checkCallback}: the sign-in it answers and its code.
 *
 * @example
 * ```ts
 * const { state, transaction } = checkCallback(url, transactions, config.issuer);
 * ```
 */
export interface AcceptedCallback {
  url: URL;
  state: string;
  transaction: SignInTransaction;
}

/**
 * The tokens of a completed sign-in, the ID token verified.
 *
 * @example
 * ```ts
 * const { idTokenClaims, refreshToken } = await exchangeCode(config, metadata, accepted);
 * ```
 */
export interface SignInTokens {
  idToken: string;
  idTokenClaims: IdTokenClaims;
  refreshToken: string | undefined;
  accessToken: string;
  /** Epoch seconds after which the access token is not used any more (a margin included). */
  accessTokenExpiresAt: number;
  /** Epoch seconds when the code exchange started. */
  accessTokenIssuedAt: number;
  scope: string | undefined;
}

/**
 * Parses a callback URL (string or URL). Throws {@link InvalidCallbackError} for garbage.
 *
 * @example
 * ```ts
 * const url = parseCallbackUrl('http://localhost:3000/callback?code=…&state=…');
 * ```
 */
export function parseCallbackUrl(callbackUrl: string | URL): URL {
  if (callbackUrl instanceof URL) return new URL(callbackUrl.href);
  if (typeof callbackUrl !== 'string' || !URL.canParse(callbackUrl)) {
    throw new InvalidCallbackError('invalid_url', 'The callback URL is not an absolute URL.');
  }
  return new URL(callbackUrl);
}

/**
 * Checks a callback URL against the sign-ins in flight, in this order: a `state` is present and
 * matches a sign-in; the URL's origin and path are that sign-in's redirect URI; the provider
 * did not return an `error`; a `code` is present; the `iss` parameter (RFC 9207), when present
 * or announced, is the issuer. Pure: no network, no storage.
 *
 * @example
 * ```ts
 * const accepted = checkCallback(
 *   url,
 *   transactions,
 *   config.issuer,
 *   metadata.authorization_response_iss_parameter_supported === true,
 * );
 * ```
 */
export function checkCallback(
  url: URL,
  transactions: Readonly<Record<string, SignInTransaction>>,
  issuer: string,
  issParameterRequired = false,
): AcceptedCallback {
  const params = url.searchParams;
  const state = params.get('state');
  const error = params.get('error');
  if (!state) {
    if (error) throw new AuthorizationError(error, params.get('error_description') ?? undefined);
    throw new InvalidCallbackError('missing_state', 'The callback URL has no state.');
  }
  const transaction = Object.hasOwn(transactions, state) ? transactions[state] : undefined;
  if (!transaction) throw new SignInTransactionNotFoundError();
  if (originAndPath(url) !== originAndPath(new URL(transaction.redirectUri))) {
    throw new InvalidCallbackError(
      'redirect_uri_mismatch',
      'The callback URL is not the redirect URI of this sign-in.',
    );
  }
  if (error) throw new AuthorizationError(error, params.get('error_description') ?? undefined);
  if (!params.get('code')) {
    throw new InvalidCallbackError('missing_code', 'The callback URL has no code.');
  }
  const iss = params.get('iss');
  if ((iss !== null || issParameterRequired) && iss?.replace(/\/+$/, '') !== issuer) {
    throw new InvalidCallbackError('issuer_mismatch', 'The callback comes from another issuer.');
  }
  return { url, state, transaction };
}

/**
 * Exchanges the code of an accepted callback (PKCE verifier, redirect URI of the sign-in) and
 * verifies the ID token, nonce included. Nothing is stored here.
 *
 * @example
 * ```ts
 * const tokens = await exchangeCode(config, metadata, accepted);
 * ```
 */
export async function exchangeCode(
  config: LogtoConfig,
  metadata: ProviderMetadata,
  accepted: AcceptedCallback,
): Promise<SignInTokens> {
  return traced('logto.code_exchange', urlAttribute(metadata.token_endpoint), () =>
    exchange(config, metadata, accepted),
  );
}

async function exchange(
  config: LogtoConfig,
  metadata: ProviderMetadata,
  accepted: AcceptedCallback,
): Promise<SignInTokens> {
  const configuration = openidConfiguration(config, metadata);
  // openid-client derives redirect_uri from the URL it gets; give it the sign-in's own one.
  const currentUrl = new URL(accepted.transaction.redirectUri);
  currentUrl.search = accepted.url.search;
  const startedAt = Date.now();
  let response: oidc.TokenEndpointResponse;
  try {
    response = await oidc.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: accepted.transaction.codeVerifier,
      expectedState: accepted.state,
      expectedNonce: accepted.transaction.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    const mapped = toLogtoError(error, 'callback', { config, url: metadata.token_endpoint });
    // A refused code is a bad callback (400), not an ended session: nothing was signed in yet.
    if (mapped instanceof InvalidGrantError) {
      throw new InvalidCallbackError(
        'code_rejected',
        'The provider refused the sign-in code (already used, expired, or not this sign-in).',
        { cause: mapped },
      );
    }
    throw mapped;
  }
  const idToken = response.id_token;
  if (!idToken) throw new ProviderResponseError('The token response has no ID token.');
  const idTokenClaims = await verifyIdToken(idToken, config, metadata, {
    nonce: accepted.transaction.nonce,
  });
  return {
    idToken,
    idTokenClaims,
    refreshToken: response.refresh_token,
    accessToken: response.access_token,
    accessTokenExpiresAt: accessTokenExpiry(startedAt, response.expires_in),
    accessTokenIssuedAt: Math.floor(startedAt / 1000),
    scope: response.scope,
  };
}

/**
 * Back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.4–2.6): verified like an
 * ID token against the provider's shared JWKS, then the logout-specific rules.
 *
 * @module
 */
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { LogtoConfig } from './config.js';
import type { ProviderMetadata } from './discovery.js';
import { isLogtoError, LogoutTokenError } from './errors.js';
import { ID_TOKEN_ALGORITHMS } from './lib/jwks.js';
import { jwksLoader } from './lib/load-jwks.js';
import { keySetFor } from './lib/registry.js';

/**
 * The `events` member that marks a back-channel logout token.
 *
 * @example
 * ```ts
 * claims.events[BACKCHANNEL_LOGOUT_EVENT]; // {}
 * ```
 */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/**
 * The claims of a verified logout token. At least one of `sid` and `sub` is present.
 *
 * @example
 * ```ts
 * const { sid, sub, jti }: LogoutTokenClaims = await verifyLogoutToken(token, config, metadata);
 * ```
 */
export interface LogoutTokenClaims {
  iss: string;
  aud: string | string[];
  iat: number;
  exp?: number | undefined;
  jti: string;
  /** The provider session that ended. */
  sid?: string | undefined;
  /** The user whose sessions ended (all of them when `sid` is absent). */
  sub?: string | undefined;
  events: Record<string, unknown>;
}

/**
 * Options of {@link verifyLogoutToken}.
 *
 * @example
 * ```ts
 * await verifyLogoutToken(token, config, metadata, { maxAge: 120 });
 * ```
 */
export interface VerifyLogoutTokenOptions {
  /** The oldest `iat` accepted, in seconds (plus the clock tolerance); defaults to 300. */
  maxAge?: number;
}

/** The default {@link VerifyLogoutTokenOptions.maxAge}: 5 minutes. */
export const LOGOUT_TOKEN_MAX_AGE = 300;
const MAX_TOKEN_LENGTH = 16_384;
const ACCEPTED_TYPES = new Set(['jwt', 'logout+jwt', 'application/logout+jwt']);

/**
 * Verifies a back-channel logout token: the signature with the provider's shared JWKS (an
 * unknown `kid` refetches it once), `iss`, `aud` (this app), `iat` not in the future and at
 * most `maxAge` old, `exp` when present, `jti`, `events` holding the back-channel logout event,
 * `sid` or `sub`, and no `nonce` (so an ID token is never taken for a logout token). Replay of
 * the `jti` is the caller's to check. Throws {@link LogoutTokenError}; provider outages while
 * fetching the keys throw the provider errors.
 *
 * @example
 * ```ts
 * const claims = await verifyLogoutToken(form.get('logout_token'), client.config, metadata);
 * if (claims.sid) await sessions.revokeBySid(claims.sid);
 * ```
 */
export async function verifyLogoutToken(
  token: unknown,
  config: LogtoConfig,
  metadata: ProviderMetadata,
  options: VerifyLogoutTokenOptions = {},
): Promise<LogoutTokenClaims> {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    throw new LogoutTokenError('malformed', 'The request has no valid logout_token.');
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch (error) {
    throw new LogoutTokenError('malformed', 'The logout token is not a signed JWT.', {
      cause: error,
    });
  }
  const { alg, typ } = header;
  if (typeof alg !== 'string' || !ID_TOKEN_ALGORITHMS.includes(alg)) {
    throw new LogoutTokenError(
      'signature',
      'The logout token is not signed with an allowed algorithm.',
    );
  }
  if (typ !== undefined && !ACCEPTED_TYPES.has(String(typ).toLowerCase())) {
    throw claimError('typ', 'The logout token has the wrong type.');
  }
  const maxAge = options.maxAge ?? LOGOUT_TOKEN_MAX_AGE;
  let payload: Record<string, unknown>;
  try {
    const key = await keySetFor(config.endpoint, metadata.jwks_uri).getKey(
      { alg, kid: header.kid },
      jwksLoader(config, metadata.jwks_uri),
    );
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [alg],
      issuer: config.issuer,
      audience: config.appId,
      clockTolerance: config.clockTolerance,
      maxTokenAge: maxAge + config.clockTolerance,
      requiredClaims: ['iss', 'aud', 'iat', 'jti', 'events'],
    }));
  } catch (error) {
    throw fromVerifyError(error);
  }
  return checkLogoutTokenClaims(payload, config);
}

/**
 * The logout-specific checks after a valid signature and standard claims.
 *
 * @example
 * ```ts
 * const claims = checkLogoutTokenClaims(payload, client.config);
 * ```
 */
export function checkLogoutTokenClaims(
  payload: Record<string, unknown>,
  config: LogtoConfig,
  now: number = Math.floor(Date.now() / 1000),
): LogoutTokenClaims {
  const { iss, aud, iat, exp, jti, sid, sub, events, nonce } = payload;
  if (typeof iat !== 'number' || iat > now + config.clockTolerance) {
    throw claimError('iat', 'The logout token is issued in the future.');
  }
  if (typeof jti !== 'string' || jti.length === 0) {
    throw claimError('jti', 'The logout token has no jti.');
  }
  const event =
    events && typeof events === 'object' && !Array.isArray(events)
      ? (events as Record<string, unknown>)[BACKCHANNEL_LOGOUT_EVENT]
      : undefined;
  if (!event || typeof event !== 'object' || Array.isArray(event)) {
    throw claimError('events', 'The logout token has no back-channel logout event.');
  }
  if (nonce !== undefined) throw claimError('nonce', 'A logout token must not have a nonce.');
  const hasSid = typeof sid === 'string' && sid.length > 0;
  const hasSub = typeof sub === 'string' && sub.length > 0;
  if ((sid !== undefined && !hasSid) || (sub !== undefined && !hasSub) || (!hasSid && !hasSub)) {
    throw claimError('sid', 'The logout token has neither a valid sid nor a valid sub.');
  }
  return {
    iss: iss as string,
    aud: aud as string | string[],
    iat,
    exp: typeof exp === 'number' ? exp : undefined,
    jti,
    sid: hasSid ? (sid as string) : undefined,
    sub: hasSub ? (sub as string) : undefined,
    events: events as Record<string, unknown>,
  };
}

function claimError(claim: string, message: string): LogoutTokenError {
  return new LogoutTokenError('claim', message, { claim });
}

function fromVerifyError(error: unknown): Error {
  if (error instanceof LogoutTokenError) return error;
  if (isLogtoError(error)) {
    // Key lookup: an unknown or unusable key is a bad token; a provider outage stays one.
    if (error.code === 'id_token.signature') {
      return new LogoutTokenError('signature', 'The logout token is not signed by the provider.', {
        cause: error,
      });
    }
    return error;
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new LogoutTokenError('claim', `The logout token "${error.claim}" claim is invalid.`, {
      cause: error,
      claim: error.claim,
    });
  }
  if (error instanceof joseErrors.JWTExpired) {
    return new LogoutTokenError('claim', 'The logout token has expired.', {
      cause: error,
      claim: 'exp',
    });
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new LogoutTokenError('signature', 'The logout token signature is invalid.', {
      cause: error,
    });
  }
  return new LogoutTokenError('malformed', 'The logout token could not be verified.', {
    cause: error,
  });
}

/**
 * ID token verification: the signature against the provider's JWKS (with jose), then `iss`,
 * `aud`, `azp`, `exp`, `iat`, `sub`, `nonce`, and — for a token from a refresh — that it is the
 * same user as before.
 *
 * @module
 */
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { type IdTokenClaims, idTokenClaimsSchema } from './claims.js';
import type { LogtoConfig } from './config.js';
import type { ProviderMetadata } from './discovery.js';
import { IdTokenClaimError, IdTokenSignatureError, LogtoError } from './errors.js';
import { ID_TOKEN_ALGORITHMS } from './lib/jwks.js';
import { jwksLoader } from './lib/load-jwks.js';
import { LruCache } from './lib/lru-cache.js';
import { keySetFor } from './lib/registry.js';

/**
 * What an ID token must match besides the client config.
 *
 * @example
 * ```ts
 * await verifyIdToken(idToken, config, metadata, { nonce } satisfies IdTokenExpectations);
 * ```
 */
export interface IdTokenExpectations {
  /** The nonce sent with the authorization request (code exchange only). */
  nonce?: string | undefined;
  /** The claims of the ID token this one replaces (refresh only): same `iss`, `sub`, `aud`. */
  previous?: IdTokenClaims | undefined;
}

/**
 * Verifies an ID token and returns its claims. Throws {@link IdTokenSignatureError} or
 * {@link IdTokenClaimError}.
 *
 * @example
 * ```ts
 * const claims = await verifyIdToken(idToken, client.config, metadata, { nonce });
 * ```
 */
export async function verifyIdToken(
  idToken: string,
  config: LogtoConfig,
  metadata: ProviderMetadata,
  expectations: IdTokenExpectations = {},
): Promise<IdTokenClaims> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(idToken);
  } catch (error) {
    throw new IdTokenSignatureError('malformed', 'The ID token is malformed.', { cause: error });
  }
  const alg = header.alg;
  if (typeof alg !== 'string' || !ID_TOKEN_ALGORITHMS.includes(alg)) {
    throw new IdTokenSignatureError(
      'unsupported_algorithm',
      'The ID token is not signed with an allowed algorithm.',
    );
  }
  const key = await keySetFor(config.endpoint, metadata.jwks_uri).getKey(
    { alg, kid: header.kid },
    jwksLoader(config, metadata.jwks_uri),
  );

  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(idToken, key, {
      algorithms: [alg],
      issuer: config.issuer,
      audience: config.appId,
      clockTolerance: config.clockTolerance,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    }));
  } catch (error) {
    throw fromJoseError(error);
  }
  return checkIdTokenClaims(payload, config, expectations);
}

/**
 * The claim checks that follow a valid signature: `iat` not in the future, `sub`, `azp`,
 * `nonce`, continuity with the previous ID token, and the claim types.
 *
 * @example
 * ```ts
 * const claims = checkIdTokenClaims(payload, client.config, { nonce });
 * ```
 */
export function checkIdTokenClaims(
  payload: Record<string, unknown>,
  config: LogtoConfig,
  expectations: IdTokenExpectations = {},
  now: number = Math.floor(Date.now() / 1000),
): IdTokenClaims {
  const parsed = idTokenClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const claim = String(parsed.error.issues[0]?.path[0] ?? 'unknown');
    throw new IdTokenClaimError(claim, payload[claim] === undefined ? 'missing' : 'invalid');
  }
  const claims = parsed.data;
  if (claims.iat > now + config.clockTolerance) {
    throw new IdTokenClaimError('iat', 'not_yet_valid');
  }
  const audiences = [claims.aud].flat();
  if (audiences.length > 1 && claims.azp === undefined) {
    throw new IdTokenClaimError('azp', 'missing');
  }
  if (claims.azp !== undefined && claims.azp !== config.appId) {
    throw new IdTokenClaimError('azp', 'mismatch');
  }
  if (expectations.nonce !== undefined && claims.nonce !== expectations.nonce) {
    throw new IdTokenClaimError('nonce', claims.nonce === undefined ? 'missing' : 'mismatch');
  }
  const previous = expectations.previous;
  if (previous) {
    if (claims.iss !== previous.iss) throw new IdTokenClaimError('iss', 'changed');
    if (claims.sub !== previous.sub) throw new IdTokenClaimError('sub', 'changed');
    if (!sameAudience(claims.aud, previous.aud)) throw new IdTokenClaimError('aud', 'changed');
    if (claims.azp !== previous.azp) throw new IdTokenClaimError('azp', 'changed');
  }
  return claims;
}

/**
 * Stored ID tokens this process already decoded and validated, as JSON of their claims: every
 * request of a signed-in user reads the same token, and parsing JSON is far cheaper than base64
 * decoding and validating it again. Each call still returns its own fresh object.
 */
const decodedClaims = new LruCache<string, string>(1000);

/**
 * Decodes a stored (already verified) ID token without checking it again.
 *
 * @example
 * ```ts
 * const idToken = await storage.get('idToken');
 * const claims = idToken ? decodeIdTokenClaims(idToken) : undefined;
 * ```
 */
export function decodeIdTokenClaims(idToken: string): IdTokenClaims {
  const cached = decodedClaims.get(idToken);
  if (cached !== undefined) return JSON.parse(cached) as IdTokenClaims;
  let payload: unknown;
  try {
    payload = decodeJwt(idToken);
  } catch (error) {
    throw new IdTokenSignatureError('malformed', 'The stored ID token is malformed.', {
      cause: error,
    });
  }
  const parsed = idTokenClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    throw new IdTokenClaimError(
      String(parsed.error.issues[0]?.path[0] ?? 'unknown'),
      'invalid',
      'The stored ID token has invalid claims.',
      { cause: parsed.error },
    );
  }
  decodedClaims.set(idToken, JSON.stringify(parsed.data));
  return parsed.data;
}

function sameAudience(a: string | string[], b: string | string[]): boolean {
  const left = [a].flat().sort();
  const right = [b].flat().sort();
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

function fromJoseError(error: unknown): Error {
  if (error instanceof LogtoError) return error;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new IdTokenSignatureError('invalid_signature', 'The ID token signature is invalid.', {
      cause: error,
    });
  }
  if (error instanceof joseErrors.JWTExpired) {
    return new IdTokenClaimError('exp', 'expired', undefined, { cause: error });
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const reason =
      error.reason === 'missing' ? 'missing' : error.reason === 'invalid' ? 'invalid' : 'mismatch';
    const claim = error.claim;
    const timing = claim === 'nbf' || claim === 'iat' ? 'not_yet_valid' : reason;
    return new IdTokenClaimError(claim, reason === 'mismatch' ? timing : reason, undefined, {
      cause: error,
    });
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return new IdTokenSignatureError(
      'unsupported_algorithm',
      'The ID token is not signed with an allowed algorithm.',
      { cause: error },
    );
  }
  return new IdTokenSignatureError('malformed', 'The ID token could not be verified.', {
    cause: error,
  });
}

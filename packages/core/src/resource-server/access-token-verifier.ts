/**
 * Verifying a Logto JWT access token (RFC 9068) for a resource server, framework-free.
 *
 * @module
 */
import { decodeProtectedHeader, type JWTPayload, errors as joseErrors, jwtVerify } from 'jose';
import { type LogtoConfig, resolveConfig } from '../config.js';
import { fetchProviderMetadata } from '../discovery.js';
import {
  InsufficientScopeError,
  InvalidAccessTokenError,
  InvalidBearerRequestError,
} from '../errors/access-token.js';
import { isLogtoError } from '../errors.js';
import { ID_TOKEN_ALGORITHMS, type ResolvedKey } from '../lib/jwks.js';
import { jwksLoader } from '../lib/load-jwks.js';
import { keySetFor } from '../lib/registry.js';
import { buildOrganizationUrn } from '../scopes.js';
import type { AccessTokenAuth } from './access-token-auth.js';
import {
  ACCESS_TOKEN_CLOCK_TOLERANCE,
  accessTokenOptionProblems,
  JWKS_MAX_AGE,
  type RequireAccessTokenOptions,
  VERIFIED_TOKEN_CACHE_SIZE,
} from './options.js';
import { VerifiedTokens } from './verified-tokens.js';

const ACCESS_TOKEN_TYPES = new Set(['at+jwt', 'application/at+jwt']);
/** Three base64url parts; an empty signature gets as far as the `alg` check, which names it. */
const jwtShape = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'client_id'];

/**
 * Verifies Logto access tokens for one API (or organization), framework-free. The signature is
 * checked against the provider's JWKS, shared with every client of the endpoint (no network on
 * a request once warm; unknown `kid`s refetch it once per 30 s at most, whatever the `kid`;
 * keys older than `jwksMaxAge` are never used); the algorithm must be an asymmetric one the
 * provider advertises (never `none`, never HMAC); `typ` must be `at+jwt`; `iss` must be the
 * endpoint's issuer; `exp`, `nbf` and `iat` are checked with a small leeway. Then, per request:
 * `aud`, the organization, and the scopes. A token seen before is not verified again (a bounded
 * cache, never past `exp`, dropped when the keys change or are due to be fetched again).
 *
 * Throws an `AccessTokenError` for anything about the request or its token, and the
 * provider errors (`provider.unavailable`, …) when the keys cannot be had — a provider outage
 * is never a 401.
 *
 * @example
 * ```ts
 * const verifier = new AccessTokenVerifier({ endpoint, resource: 'https://api.example.com', scopes: ['read'] });
 * const auth = await verifier.verify(token);
 * auth.subject; // the user
 * ```
 */
const configs = new WeakMap<AccessTokenVerifier, LogtoConfig>();

/** The resolved client config a verifier fetches with (its logger, endpoint, timeout). */
export function verifierConfig(verifier: AccessTokenVerifier): LogtoConfig {
  return configs.get(verifier)!;
}

export class AccessTokenVerifier {
  readonly #config: LogtoConfig;
  readonly #resource: string | undefined;
  readonly #scopes: readonly string[];
  readonly #anyScope: boolean;
  readonly #tolerance: number;
  readonly #cache: VerifiedTokens;
  /** Milliseconds: the oldest key set a signature is checked against. */
  readonly #jwksMaxAge: number;

  /** @throws TypeError naming every problem with the options. */
  constructor(options: RequireAccessTokenOptions<never>) {
    const problems = accessTokenOptionProblems(options);
    if (problems.length > 0) {
      throw new TypeError(`Invalid requireAccessToken options (${problems.join('; ')}).`);
    }
    this.#tolerance = options.clockTolerance ?? ACCESS_TOKEN_CLOCK_TOLERANCE;
    this.#config = resolveConfig({
      endpoint: options.endpoint,
      appId: 'resource-server',
      clockTolerance: this.#tolerance,
      ...(options.timeout !== undefined && { timeout: options.timeout }),
      ...(options.fetch !== undefined && { fetch: options.fetch }),
      ...(options.logger !== undefined && { logger: options.logger }),
    });
    configs.set(this, this.#config);
    this.#resource = options.resource;
    this.#scopes = Object.freeze([...(options.scopes ?? [])]);
    this.#anyScope = options.anyScope ?? false;
    this.#cache = new VerifiedTokens(options.cacheSize ?? VERIFIED_TOKEN_CACHE_SIZE);
    this.#jwksMaxAge = (options.jwksMaxAge ?? JWKS_MAX_AGE) * 1000;
  }

  /**
   * The verified token, checked for this API: `aud`, `organization` (when given: the
   * organization the request is about), then the scopes.
   *
   * @example
   * ```ts
   * const auth = await verifier.verify(readBearerToken(incoming.headers.get('authorization')), 'acme');
   * ```
   */
  async verify(token: string, organization?: string): Promise<AccessTokenAuth> {
    const now = Date.now();
    const auth = this.#cache.get(token, now) ?? (await this.#verifySignature(token, now));
    this.#authorize(auth, organization);
    return auth;
  }

  async #verifySignature(token: string, now: number): Promise<AccessTokenAuth> {
    if (!token.includes('.')) {
      throw new InvalidAccessTokenError(
        'The access token is opaque: ask Logto for a token for this API (a resource indicator) to get a JWT.',
      );
    }
    if (!jwtShape.test(token)) throw invalid('The access token is not a JWT.');
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch (error) {
      throw invalid('The access token is not a JWT.', error);
    }
    const { alg, typ, kid } = header;
    if (typeof alg !== 'string' || !ID_TOKEN_ALGORITHMS.includes(alg)) {
      throw invalid('The access token is not signed with an allowed algorithm.');
    }
    if (typeof typ !== 'string' || !ACCESS_TOKEN_TYPES.has(typ.toLowerCase())) {
      throw invalid('The token is not an access token (typ at+jwt).');
    }
    if (kid !== undefined && typeof kid !== 'string')
      throw invalid('The access token is not a JWT.');
    const config = this.#config;
    const metadata = await fetchProviderMetadata(config);
    const advertised = metadata.id_token_signing_alg_values_supported;
    const keySet = keySetFor(config.endpoint, metadata.jwks_uri);
    let resolved: ResolvedKey;
    try {
      resolved = await keySet.resolve(
        { alg, kid, declaredAlg: advertised !== undefined && !advertised.includes(alg) },
        jwksLoader(config, metadata.jwks_uri),
        this.#jwksMaxAge,
      );
    } catch (error) {
      if (isLogtoError(error) && error.code === 'id_token.signature') {
        throw invalid('The access token is signed by a key the provider does not publish.', error);
      }
      throw error;
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, resolved.key, {
        algorithms: [alg],
        issuer: config.issuer,
        clockTolerance: this.#tolerance,
        requiredClaims: REQUIRED_CLAIMS,
        currentDate: new Date(now),
      }));
    } catch (error) {
      throw fromJoseError(error);
    }
    const auth = toAuth(payload, Math.floor(now / 1000) + this.#tolerance);
    this.#cache.set(token, auth, keySet, resolved, now);
    return auth;
  }

  #authorize(auth: AccessTokenAuth, organization: string | undefined): void {
    const expected = this.#resource ?? (organization && buildOrganizationUrn(organization));
    if (!expected || organization === '') {
      throw new InvalidBearerRequestError('The request does not name an organization.');
    }
    if (auth.audience !== expected) throw invalid('The access token is not for this API.');
    if (organization !== undefined && auth.organizationId !== organization) {
      throw new InsufficientScopeError('The access token is for another organization.');
    }
    const scopes = this.#scopes;
    if (scopes.length === 0) return;
    const granted = auth.scopes;
    const ok = this.#anyScope
      ? scopes.some((scope) => granted.includes(scope))
      : scopes.every((scope) => granted.includes(scope));
    if (!ok) {
      throw new InsufficientScopeError(
        'The access token does not grant the scope this API needs.',
        scopes,
      );
    }
  }
}

function invalid(message: string, cause?: unknown): InvalidAccessTokenError {
  return new InvalidAccessTokenError(message, cause === undefined ? undefined : { cause });
}

/** The claims as an {@link AccessTokenAuth}, after the types jose does not check. */
function toAuth(payload: JWTPayload, latestIat: number): AccessTokenAuth {
  const {
    sub,
    aud,
    exp,
    iat,
    scope,
    client_id: clientId,
    organization_id: organizationId,
  } = payload as JWTPayload & Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '' || typeof clientId !== 'string' || clientId === '') {
    throw invalid('The access token has no subject or client.');
  }
  if (typeof aud !== 'string') throw invalid('The access token is not for this API.');
  if (typeof iat !== 'number' || iat > latestIat) {
    throw invalid('The access token is issued in the future.');
  }
  if (scope !== undefined && typeof scope !== 'string') {
    throw invalid('The access token scope is malformed.');
  }
  if (organizationId !== undefined && typeof organizationId !== 'string') {
    throw invalid('The access token organization is malformed.');
  }
  return Object.freeze({
    subject: sub,
    clientId,
    scopes: Object.freeze(scope ? scope.split(' ').filter(Boolean) : []),
    organizationId: organizationId ?? organizationOf(aud),
    audience: aud,
    expiresAt: exp as number,
    isMachine: sub === clientId,
    claims: Object.freeze({ ...payload }) as AccessTokenAuth['claims'],
  });
}

const organizationUrnPrefix = buildOrganizationUrn('');

function organizationOf(audience: string): string | undefined {
  return audience.startsWith(organizationUrnPrefix) &&
    audience.length > organizationUrnPrefix.length
    ? audience.slice(organizationUrnPrefix.length)
    : undefined;
}

function fromJoseError(error: unknown): InvalidAccessTokenError {
  if (error instanceof joseErrors.JWTExpired) {
    return invalid('The access token has expired.', error);
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const messages: Record<string, string> = {
      iss: 'The access token is from another issuer.',
      nbf: 'The access token is not valid yet.',
      iat: 'The access token is issued in the future.',
    };
    return invalid(messages[error.claim] ?? 'The access token lacks a required claim.', error);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return invalid('The access token signature is invalid.', error);
  }
  return invalid('The access token could not be verified.', error);
}

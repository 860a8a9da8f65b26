/**
 * The options of a resource server (`requireAccessToken`): checked once, every problem listed.
 *
 * @module
 */
import type { FetchFunction } from '../config.js';
import type { Logger } from '../logger.js';

/**
 * What `requireAccessToken()` (and core's {@link AccessTokenGuard}) checks on every request.
 * At least one of `resource` and `organization` is needed: `resource` alone accepts tokens
 * for that API (`aud`); `organization` alone accepts organization tokens
 * (`aud` = `urn:logto:organization:<id>`); both accept organization-scoped API tokens whose
 * `organization_id` is that organization.
 *
 * @example
 * ```ts
 * const options: RequireAccessTokenOptions = {
 *   endpoint: 'https://tenant.logto.app',
 *   resource: 'https://api.example.com',
 *   scopes: ['read'],
 * };
 * ```
 */
export interface RequireAccessTokenOptions<Req = unknown> {
  /** Your Logto endpoint, e.g. `https://tenant.logto.app` (the issuer is `<endpoint>/oidc`). */
  endpoint: string;
  /** The API resource indicator the token must be for (its `aud`). */
  resource?: string | undefined;
  /**
   * The organization the token must be for: an ID, or a function of the framework's request
   * (e.g. a route parameter). `undefined` from the function answers 400.
   */
  organization?: string | ((native: Req) => string | undefined) | undefined;
  /** Scopes (permissions) the token must grant: all of them, or one with `anyScope`. */
  scopes?: readonly string[] | undefined;
  /** Accept a token that grants any one of `scopes` instead of all. */
  anyScope?: boolean | undefined;
  /** Seconds of clock skew tolerated for `exp`, `nbf` and `iat`; default 5, at most 300. */
  clockTolerance?: number | undefined;
  /** How many verified tokens are remembered (by the whole token, never past `exp`); default 1000, 0 turns it off. */
  cacheSize?: number | undefined;
  /**
   * Seconds a signing key the provider has stopped publishing may still verify tokens, at most;
   * default 3600 (1 hour), from 1 to 86 400. The keys are fetched again every 10 minutes (or
   * every `jwksMaxAge / 2` if that is shorter), so while the provider answers a removed key is
   * refused within that refresh period; when the JWKS cannot be fetched, the keys in hand keep
   * working until they are `jwksMaxAge` old, then requests that need them answer 503.
   */
  jwksMaxAge?: number | undefined;
  /** The `realm` of the `WWW-Authenticate` challenge; default `resource`, else `api`. */
  realm?: string | undefined;
  /** Milliseconds before a discovery or JWKS request fails; default 10 000. */
  timeout?: number | undefined;
  /** A `fetch` to use instead of the global one. */
  fetch?: FetchFunction | undefined;
  /** Where provider failures are explained (never a token); `false` for silence. */
  logger?: Logger | false | undefined;
}

/** The default {@link RequireAccessTokenOptions.clockTolerance}: 5 s. */
export const ACCESS_TOKEN_CLOCK_TOLERANCE = 5;
/** The default {@link RequireAccessTokenOptions.cacheSize}. */
export const VERIFIED_TOKEN_CACHE_SIZE = 1000;
/** The default {@link RequireAccessTokenOptions.jwksMaxAge}: 3600 s (1 hour). */
export const JWKS_MAX_AGE = 3600;

/** Every option, once: `satisfies` fails to compile when one is missing or unknown. */
const optionNames = {
  endpoint: true,
  resource: true,
  organization: true,
  scopes: true,
  anyScope: true,
  clockTolerance: true,
  cacheSize: true,
  jwksMaxAge: true,
  realm: true,
  timeout: true,
  fetch: true,
  logger: true,
} as const satisfies Record<keyof RequireAccessTokenOptions, true>;

/**
 * Every option of {@link RequireAccessTokenOptions}, by name (`docs/options.md` has a row for
 * each; `scripts/options-reference.test.ts` keeps the two in step).
 *
 * @example
 * ```ts
 * ACCESS_TOKEN_OPTION_NAMES.includes('jwksMaxAge'); // true
 * ```
 */
export const ACCESS_TOKEN_OPTION_NAMES: readonly (keyof RequireAccessTokenOptions)[] =
  Object.freeze(Object.keys(optionNames) as (keyof RequireAccessTokenOptions)[]);

const isAbsoluteUri = (value: string): boolean => URL.canParse(value) && !value.includes('#');

/**
 * The problems with a set of options (empty when there are none).
 *
 * @example
 * ```ts
 * accessTokenOptionProblems({ endpoint: 'https://tenant.logto.app' });
 * // ['resource or organization: one of them is needed']
 * ```
 */
export function accessTokenOptionProblems(options: RequireAccessTokenOptions<never>): string[] {
  const problems: string[] = [];
  if (typeof options !== 'object' || options === null) return ['options: must be an object'];
  const { resource, organization, scopes, anyScope, clockTolerance, cacheSize, jwksMaxAge, realm } =
    options;
  if (typeof options.endpoint !== 'string' || !URL.canParse(options.endpoint)) {
    problems.push('endpoint: must be an absolute URL');
  }
  if (resource !== undefined && (typeof resource !== 'string' || !isAbsoluteUri(resource))) {
    problems.push('resource: must be an absolute URI with no fragment');
  }
  if (
    organization !== undefined &&
    typeof organization !== 'function' &&
    (typeof organization !== 'string' || organization === '')
  ) {
    problems.push('organization: must be an organization ID or a function');
  }
  if (resource === undefined && organization === undefined) {
    problems.push('resource or organization: one of them is needed');
  }
  if (
    scopes !== undefined &&
    (!Array.isArray(scopes) ||
      scopes.some((s) => typeof s !== 'string' || !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s)))
  ) {
    problems.push('scopes: must be a list of scope names (no spaces or quotes)');
  }
  if (anyScope !== undefined && typeof anyScope !== 'boolean') {
    problems.push('anyScope: must be a boolean');
  }
  if (
    clockTolerance !== undefined &&
    (!Number.isInteger(clockTolerance) || clockTolerance < 0 || clockTolerance > 300)
  ) {
    problems.push('clockTolerance: must be whole seconds from 0 to 300');
  }
  if (cacheSize !== undefined && (!Number.isInteger(cacheSize) || cacheSize < 0)) {
    problems.push('cacheSize: must be a whole number ≥ 0');
  }
  if (
    jwksMaxAge !== undefined &&
    (!Number.isInteger(jwksMaxAge) || jwksMaxAge < 1 || jwksMaxAge > 86_400)
  ) {
    problems.push('jwksMaxAge: must be whole seconds from 1 to 86400');
  }
  if (
    realm !== undefined &&
    (typeof realm !== 'string' || !/^[\x20\x21\x23-\x5B\x5D-\x7E]*$/.test(realm))
  ) {
    problems.push('realm: must be a string without quotes, backslashes or control characters');
  }
  return problems;
}

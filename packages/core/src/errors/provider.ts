/**
 * Errors of talking to the provider: OAuth errors from its endpoints, an unreachable or slow
 * provider, unusable answers, and access tokens asked for in a way it cannot serve.
 *
 * @module
 */
import { LogtoError } from './base.js';

/**
 * The userinfo response is unusable (its `sub` is not the signed-in user, or it is malformed).
 *
 * @example
 * ```ts
 * if (error instanceof UserInfoError && error.reason === 'subject_mismatch') {
 *   // the provider answered for another user: sign this one out
 * }
 * ```
 */
export class UserInfoError extends LogtoError {
  static readonly code = 'userinfo.invalid';
  readonly code = UserInfoError.code;
  readonly reason: 'subject_mismatch' | 'invalid_response';
  constructor(
    reason: 'subject_mismatch' | 'invalid_response',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.reason = reason;
  }
}

/**
 * Fields shared by errors built from an OAuth error response body.
 *
 * @example
 * ```ts
 * new OAuthError({ error: 'invalid_target', status: 400 } satisfies OAuthErrorDetails);
 * ```
 */
export interface OAuthErrorDetails {
  /** The OAuth `error`, e.g. `invalid_target`. */
  error: string;
  /** The provider's `error_description`, if any. */
  errorDescription?: string | undefined;
  /** The HTTP status of the response. */
  status?: number | undefined;
  /** Logto's own code from the body, e.g. `oidc.invalid_target`. */
  logtoCode?: string | undefined;
}

/**
 * The refresh token (or authorization code) is no longer valid: it expired, was revoked, or was
 * already used. The user has to sign in again.
 *
 * @example
 * ```ts
 * if (error.code === 'oauth.invalid_grant') return redirect('/sign-in');
 * ```
 */
export class InvalidGrantError extends LogtoError {
  static readonly code = 'oauth.invalid_grant';
  readonly code = InvalidGrantError.code;
  override readonly clientSafe = true;
  readonly error = 'invalid_grant';
  readonly errorDescription: string | undefined;
  readonly status: number | undefined;
  constructor(details: Omit<OAuthErrorDetails, 'error'>, options?: { cause?: unknown }) {
    super('The grant is invalid or expired; sign in again.', options);
    this.errorDescription = details.errorDescription;
    this.status = details.status;
  }
}

/**
 * The provider refused the user, not the app: `access_denied` at the token endpoint, e.g. "user
 * is not a member of the organization" for an organization token, or an organization that
 * requires MFA. The web integrations answer 403.
 *
 * @example
 * ```ts
 * if (error instanceof AccessDeniedError) return forbidden(error.errorDescription);
 * ```
 */
export class AccessDeniedError extends LogtoError {
  static readonly code = 'oauth.access_denied';
  readonly code = AccessDeniedError.code;
  override readonly clientSafe = true;
  readonly error = 'access_denied';
  readonly errorDescription: string | undefined;
  readonly status: number | undefined;
  readonly logtoCode: string | undefined;
  constructor(details: Omit<OAuthErrorDetails, 'error'>, options?: { cause?: unknown }) {
    super('The identity provider refused access.', options);
    this.errorDescription = details.errorDescription;
    this.status = details.status;
    this.logtoCode = details.logtoCode;
  }
}

/**
 * The provider answered a token, userinfo or revocation request with an OAuth error that has no
 * class of its own (for example `invalid_target` for an unknown resource). `invalid_grant`,
 * `access_denied` and `invalid_client` / `unauthorized_client` have their own classes.
 *
 * @example
 * ```ts
 * if (error instanceof OAuthError && error.error === 'invalid_target') console.warn(error.message);
 * ```
 */
export class OAuthError extends LogtoError {
  static readonly code = 'oauth.error';
  readonly code = OAuthError.code;
  readonly error: string;
  readonly errorDescription: string | undefined;
  readonly status: number | undefined;
  readonly logtoCode: string | undefined;
  constructor(details: OAuthErrorDetails, options?: { cause?: unknown }) {
    super(`The provider rejected the request: ${details.error}.`, options);
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.status = details.status;
    this.logtoCode = details.logtoCode;
  }
}

/**
 * The provider could not be reached (connection refused, DNS failure, TLS error).
 *
 * @example
 * ```ts
 * if (error instanceof ProviderUnavailableError) return serviceUnavailable();
 * ```
 */
export class ProviderUnavailableError extends LogtoError {
  static readonly code = 'provider.unavailable';
  readonly code = ProviderUnavailableError.code;
  /** The HTTP status when the provider answered with a server error (5xx); else unreachable. */
  readonly status: number | undefined;
  constructor(
    message = 'The identity provider could not be reached.',
    options?: { cause?: unknown; status?: number | undefined },
  ) {
    super(message, options);
    this.status = options?.status;
  }
}

/**
 * The provider did not answer within the configured timeout.
 *
 * @example
 * ```ts
 * if (error instanceof ProviderTimeoutError) return gatewayTimeout();
 * ```
 */
export class ProviderTimeoutError extends LogtoError {
  static readonly code = 'provider.timeout';
  readonly code = ProviderTimeoutError.code;
  constructor(
    message = 'The identity provider did not answer in time.',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The provider answered with something this client cannot use (bad discovery document, issuer
 * mismatch, non-JSON body, unexpected status, missing endpoint).
 *
 * @example
 * ```ts
 * if (error instanceof ProviderResponseError) return badGateway();
 * ```
 */
export class ProviderResponseError extends LogtoError {
  static readonly code = 'provider.invalid_response';
  readonly code = ProviderResponseError.code;
  /** The HTTP status, when the problem is the response status. */
  readonly status: number | undefined;
  constructor(message: string, options?: { cause?: unknown; status?: number | undefined }) {
    super(message, options);
    this.status = options?.status;
  }
}

/**
 * An organization token was requested but the client is not configured with the
 * `urn:logto:scope:organizations` scope ({@link UserInfoScope.Organizations}).
 *
 * @example
 * ```ts
 * new LogtoClient({ endpoint, appId, scopes: [UserInfoScope.Organizations] }, { storage });
 * ```
 */
export class OrganizationsScopeRequiredError extends LogtoError {
  static readonly code = 'organizations_scope_required';
  readonly code = OrganizationsScopeRequiredError.code;
  constructor(
    message = 'Organization tokens need the `urn:logto:scope:organizations` scope (UserInfoScope.Organizations) in the client config.',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Claims were requested for an opaque access token. The default access token (no resource) is
 * opaque in Logto; only API-resource and organization tokens are JWTs.
 *
 * @example
 * ```ts
 * await client.getAccessTokenClaims('https://api.example.com'); // not getAccessTokenClaims()
 * ```
 */
export class OpaqueAccessTokenError extends LogtoError {
  static readonly code = 'access_token.opaque';
  readonly code = OpaqueAccessTokenError.code;
  constructor(
    message = 'This access token is opaque and has no claims; request a token for an API resource or an organization.',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

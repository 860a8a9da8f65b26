/**
 * Errors of a resource server refusing a bearer token (RFC 6750 §3.1): one base class and one
 * class per answer.
 *
 * @module
 */
import { LogtoError } from './base.js';

/**
 * The RFC 6750 `error` of a refused request, or `undefined` when the request carried no
 * credentials at all (the challenge then has no error code).
 *
 * @example
 * ```ts
 * const error: BearerErrorCode = 'insufficient_scope';
 * ```
 */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/**
 * A bearer access token was refused. Client safe: the message is one fixed phrase per kind of
 * failure and never holds the token or any of its claims. The subclasses say which answer:
 * {@link MissingAccessTokenError} (401, bare challenge), {@link InvalidBearerRequestError}
 * (400 `invalid_request`), {@link InvalidAccessTokenError} (401 `invalid_token`),
 * {@link InsufficientScopeError} (403 `insufficient_scope`).
 *
 * @example
 * ```ts
 * if (error instanceof AccessTokenError) console.log(error.error, error.message);
 * ```
 */
export abstract class AccessTokenError extends LogtoError {
  override readonly clientSafe = true;
  /** The RFC 6750 error code; `undefined` when no token was sent. */
  abstract readonly error: BearerErrorCode | undefined;
}

/**
 * The request has no Bearer credentials — no `Authorization` header, or credentials of another
 * scheme (`Basic …`): 401 with a bare `Bearer` challenge and no error code (RFC 6750 §3.1).
 *
 * @example
 * ```ts
 * throw new MissingAccessTokenError();
 * ```
 */
export class MissingAccessTokenError extends AccessTokenError {
  static readonly code = 'access_token.missing';
  readonly code = MissingAccessTokenError.code;
  readonly error = undefined;
  constructor(message = 'This API needs a bearer access token.') {
    super(message);
  }
}

/**
 * A `Bearer` `Authorization` header that is not one token (two tokens, none, characters RFC 6750
 * does not allow), or a request that names no organization: 400 `invalid_request`.
 *
 * @example
 * ```ts
 * throw new InvalidBearerRequestError('The Authorization header must be one Bearer token.');
 * ```
 */
export class InvalidBearerRequestError extends AccessTokenError {
  static readonly code = 'access_token.invalid_request';
  readonly code = InvalidBearerRequestError.code;
  readonly error = 'invalid_request' as const;
}

/**
 * The token is not valid for this API (signature, algorithm, type, issuer, audience, time):
 * 401 `invalid_token`.
 *
 * @example
 * ```ts
 * throw new InvalidAccessTokenError('The access token has expired.');
 * ```
 */
export class InvalidAccessTokenError extends AccessTokenError {
  static readonly code = 'access_token.invalid';
  readonly code = InvalidAccessTokenError.code;
  readonly error = 'invalid_token' as const;
}

/**
 * A valid token without the rights the route needs: 403 `insufficient_scope`, with `scope`
 * naming what is needed when it is about scopes.
 *
 * @example
 * ```ts
 * throw new InsufficientScopeError('The access token does not grant the scope this API needs.', ['write']);
 * ```
 */
export class InsufficientScopeError extends AccessTokenError {
  static readonly code = 'access_token.insufficient_scope';
  readonly code = InsufficientScopeError.code;
  readonly error = 'insufficient_scope' as const;
  /** The scopes the route asks for, when the refusal is about scopes. */
  readonly scopes: readonly string[] | undefined;
  constructor(message: string, scopes?: readonly string[]) {
    super(message);
    this.scopes = scopes;
  }
}

/**
 * The resource-server guard of the web layer: an `Authorization` header in, the verified token
 * or the RFC 6750 response out. Adapters only hand the header over and write the answer.
 *
 * @module
 */
import { AccessTokenError, InsufficientScopeError } from '../errors/access-token.js';
import { type AnyLogtoError, isLogtoError } from '../errors.js';
import { reportMisconfiguration } from '../lib/diagnostics.js';
import type { AccessTokenAuth } from '../resource-server/access-token-auth.js';
import { AccessTokenVerifier, verifierConfig } from '../resource-server/access-token-verifier.js';
import { readBearerToken } from '../resource-server/bearer.js';
import type { RequireAccessTokenOptions } from '../resource-server/options.js';
import { errorResponse } from './error-response.js';
import { jsonResponse, type WebResponse } from './web-response.js';

/**
 * The guard's decision: the verified token, or the response to send instead.
 *
 * @example
 * ```ts
 * const result: AccessTokenResult = await guard.check({ authorization: 'Bearer …' });
 * if ('response' in result) send(result.response);
 * ```
 */
export type AccessTokenResult =
  | { readonly auth: AccessTokenAuth }
  | { readonly response: WebResponse };

/** What an adapter hands the guard for one request. */
export interface AccessTokenRequest<Req = unknown> {
  /** The `Authorization` header. */
  authorization: string | null | undefined;
  /** The framework's request, for an `organization` function. */
  native?: Req | undefined;
}

/** A value inside a quoted-string, with RFC 6750's characters only: `"` and `\` become `'`. */
const quotable = (value: string): string =>
  value.replace(/["\\]/g, "'").replace(/[^\x20-\x7E]/g, '');

/**
 * Protects an API with Logto access tokens (`requireAccessToken` in the adapters). Verifies
 * one `Authorization: Bearer` JWT with {@link AccessTokenVerifier} and answers as RFC 6750
 * says: no Bearer credentials (no header, or another scheme such as `Basic`) → 401 with a bare
 * `WWW-Authenticate: Bearer realm="…"`; a malformed Bearer header → 400 `invalid_request`; a token that is not valid for this API → 401 `invalid_token`; a valid
 * token without the rights → 403 `insufficient_scope` (with `scope`). Descriptions are fixed
 * phrases, never token content. A provider that cannot be reached while the keys are needed →
 * 503 (504 on a timeout, 502 on a bad answer), never 401.
 *
 * @example
 * ```ts
 * const guard = new AccessTokenGuard({ endpoint, resource: 'https://api.example.com', scopes: ['read'] });
 * const result = await guard.check({ authorization: incoming.headers.get('authorization') });
 * if ('response' in result) return toFetchResponse(result.response);
 * result.auth.subject;
 * ```
 */
export class AccessTokenGuard<Req = unknown> {
  readonly #verifier: AccessTokenVerifier;
  readonly #organization: RequireAccessTokenOptions<Req>['organization'];
  readonly #realm: string;

  /** @throws TypeError naming every problem with the options. */
  constructor(options: RequireAccessTokenOptions<Req>) {
    this.#verifier = new AccessTokenVerifier(options as RequireAccessTokenOptions<never>);
    this.#organization = options.organization;
    this.#realm = options.realm ?? options.resource ?? 'api';
  }

  /**
   * The verified token of a request, or the response that refuses it.
   *
   * @example
   * ```ts
   * const result = await guard.check({ authorization: req.headers.authorization, native: req });
   * ```
   */
  async check(request: AccessTokenRequest<Req>): Promise<AccessTokenResult> {
    try {
      const token = readBearerToken(request.authorization);
      const organization =
        typeof this.#organization === 'function'
          ? (this.#organization(request.native as Req) ?? '')
          : this.#organization;
      return { auth: await this.#verifier.verify(token, organization) };
    } catch (error) {
      // Not a LogtoError: a bug (or the app's `organization` function threw): the framework's.
      if (!isLogtoError(error)) throw error;
      return { response: this.respond(error) };
    }
  }

  /**
   * The response for a `LogtoError` of {@link AccessTokenGuard.check}: RFC 6750 for an
   * {@link AccessTokenError}, the code table's status (and JSON) for any other, such as a
   * provider failure.
   *
   * @example
   * ```ts
   * if (isLogtoError(error)) send(guard.respond(error));
   * ```
   */
  respond(error: AnyLogtoError): WebResponse {
    if (error instanceof AccessTokenError) {
      const mapped = errorResponse(error);
      const parts = [`Bearer realm="${quotable(this.#realm)}"`];
      if (error.error) {
        parts.push(`error="${error.error}"`, `error_description="${quotable(error.message)}"`);
      }
      if (error instanceof InsufficientScopeError && error.scopes)
        parts.push(`scope="${quotable(error.scopes.join(' '))}"`);
      const body = error.error
        ? { error: error.error, error_description: error.message }
        : { error: 'unauthorized', error_description: error.message };
      return jsonResponse(mapped.status, body, { 'www-authenticate': parts.join(', ') });
    }
    reportMisconfiguration(verifierConfig(this.#verifier), error);
    const mapped = errorResponse(error);
    return jsonResponse(mapped.status, { error: mapped.code, message: mapped.message });
  }
}

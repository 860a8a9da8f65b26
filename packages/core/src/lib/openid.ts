/**
 * The bridge to openid-client: one `Configuration` per resolved client config and discovery
 * document, and the translation of its errors into {@link LogtoError}s.
 */
import * as oidc from 'openid-client';
import type { LogtoConfig } from '../config.js';
import type { ProviderMetadata } from '../discovery.js';
import {
  AccessDeniedError,
  AuthorizationError,
  IdTokenClaimError,
  IdTokenSignatureError,
  InvalidCallbackError,
  InvalidClientError,
  InvalidGrantError,
  LogtoError,
  OAuthError,
  type OAuthErrorDetails,
  ProviderResponseError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  UserInfoError,
} from '../errors.js';
import { reportProviderFailure } from './diagnostics.js';
import { createProviderFetch } from './http.js';
import { ID_TOKEN_ALGORITHMS } from './jwks.js';

const configurations = new WeakMap<
  LogtoConfig,
  Map<number, { metadata: ProviderMetadata; configuration: oidc.Configuration }>
>();

/**
 * The openid-client configuration of a client config, built once per discovery document.
 * `timeout` (ms, default `config.timeout`) bounds each exchange; the refresh grant passes a
 * longer one so a late token response is still received (its caller has its own deadline).
 */
export function openidConfiguration(
  config: LogtoConfig,
  metadata: ProviderMetadata,
  timeout: number = config.timeout,
): oidc.Configuration {
  const byTimeout = configurations.get(config) ?? new Map();
  configurations.set(config, byTimeout);
  const cached = byTimeout.get(timeout);
  if (cached?.metadata === metadata) return cached.configuration;

  const clientMetadata: Partial<oidc.ClientMetadata> = {
    // openid-client accepts a list here; it replaces the discovery document's list, so a key
    // rotation from EC to RSA keeps working before discovery is refreshed.
    id_token_signed_response_alg: [...ID_TOKEN_ALGORITHMS] as unknown as string,
    [oidc.clockTolerance]: config.clockTolerance,
  };
  const auth = !config.appSecret
    ? oidc.None()
    : config.clientAuthMethod === 'client_secret_post'
      ? oidc.ClientSecretPost(config.appSecret)
      : oidc.ClientSecretBasic(config.appSecret);
  const configuration = new oidc.Configuration(
    metadata as oidc.ServerMetadata,
    config.appId,
    clientMetadata,
    auth,
  );
  configuration.timeout = timeout / 1000;
  configuration[oidc.customFetch] = createProviderFetch(config.fetch, timeout) as oidc.CustomFetch;
  if (config.insecureLoopback) oidc.allowInsecureRequests(configuration);
  byTimeout.set(timeout, { metadata, configuration });
  return configuration;
}

/** What the failing call was, to word the error. */
export type OpenidOperation = 'callback' | 'token' | 'userinfo' | 'revocation';

/** Where the failing call went, for the log line of {@link toLogtoError}. */
export interface FailureSite {
  config: LogtoConfig;
  /** The endpoint that was asked (never a URL with a code or token in it). */
  url?: string | undefined;
}

/**
 * Translates anything openid-client throws into a {@link LogtoError} (bugs stay TypeErrors)
 * and, given the `site`, logs the failure once through the config's logger.
 */
export function toLogtoError(
  error: unknown,
  operation: OpenidOperation,
  site?: FailureSite,
): Error {
  const mapped = mapError(error, operation);
  if (site) reportProviderFailure(site.config, operation, mapped, site.url);
  return mapped;
}

function mapError(error: unknown, operation: OpenidOperation): Error {
  if (error instanceof LogtoError) return error;
  if (error instanceof oidc.ResponseBodyError) {
    const body = error.cause as Record<string, unknown>;
    return fromOAuthError(error.error, {
      errorDescription: error.error_description,
      status: error.status,
      logtoCode: typeof body?.code === 'string' ? body.code : undefined,
      cause: error,
    });
  }
  if (error instanceof oidc.AuthorizationResponseError) {
    return new AuthorizationError(error.error, error.error_description, { cause: error });
  }
  if (error instanceof oidc.WWWAuthenticateChallengeError) {
    const challenge = error.cause[0];
    return fromOAuthError(challenge?.parameters.error ?? 'invalid_token', {
      errorDescription: challenge?.parameters.error_description,
      status: error.status,
      logtoCode: undefined,
      cause: error,
    });
  }
  if (error instanceof TypeError) return error;
  if (!(error instanceof oidc.ClientError)) {
    return new ProviderResponseError('The provider response could not be processed.', {
      cause: error,
    });
  }
  if (error.cause instanceof LogtoError) return error.cause;
  return fromClientError(error, operation);
}

/**
 * An OAuth error body by meaning: the user's session ended (`invalid_grant`), the user refused
 * (`access_denied`), this app misconfigured (`invalid_client`, `unauthorized_client`), or
 * anything else the provider refused.
 */
function fromOAuthError(
  error: string,
  details: Omit<OAuthErrorDetails, 'error'> & { cause: unknown },
): LogtoError {
  const { cause, ...rest } = details;
  switch (error) {
    case 'invalid_grant':
      return new InvalidGrantError(rest, { cause });
    case 'access_denied':
      return new AccessDeniedError(rest, { cause });
    case 'invalid_client':
    case 'unauthorized_client':
      return new InvalidClientError({ error, ...rest }, { cause });
    default:
      return new OAuthError({ error, ...rest }, { cause });
  }
}

function fromClientError(error: oidc.ClientError, operation: OpenidOperation): Error {
  const inner = error.cause as { message?: string; cause?: Record<string, unknown> } | undefined;
  const details = inner?.cause ?? {};
  const message = inner?.message ?? '';
  switch (error.code) {
    case 'OAUTH_TIMEOUT':
    case 'OAUTH_ABORT':
      return new ProviderTimeoutError(undefined, { cause: error });
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
      return new IdTokenClaimError(String(details.claim ?? 'unknown'), 'mismatch', undefined, {
        cause: error,
      });
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED': {
      const claim = String(details.claim ?? 'exp');
      return new IdTokenClaimError(
        claim,
        claim === 'nbf' ? 'not_yet_valid' : 'expired',
        undefined,
        {
          cause: error,
        },
      );
    }
    case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
      if (operation === 'userinfo') {
        return new UserInfoError(
          'subject_mismatch',
          'The userinfo subject is not the signed-in user.',
          {
            cause: error,
          },
        );
      }
      if (details.attribute === 'iss' || /"iss"/.test(message)) {
        return new InvalidCallbackError(
          'issuer_mismatch',
          'The callback comes from another issuer.',
          {
            cause: error,
          },
        );
      }
      break;
    case 'OAUTH_INVALID_RESPONSE':
    case 'OAUTH_PARSE_ERROR': {
      const missing = /JWT "(\w+)" \([^)]*\) claim missing/.exec(message);
      if (missing)
        return new IdTokenClaimError(missing[1]!, 'missing', undefined, { cause: error });
      const badType = /unexpected JWT "(\w+)" \([^)]*\) claim type/.exec(message);
      if (badType)
        return new IdTokenClaimError(badType[1]!, 'invalid', undefined, { cause: error });
      if (/"alg" header parameter/.test(message)) {
        return new IdTokenSignatureError(
          'unsupported_algorithm',
          'The ID token is not signed with an allowed algorithm.',
          { cause: error },
        );
      }
      if (/JWT|Header|Payload/.test(message)) {
        return new IdTokenSignatureError('malformed', 'The ID token is malformed.', {
          cause: error,
        });
      }
      if (/"iss"/.test(message) && operation === 'callback') {
        return new InvalidCallbackError('issuer_mismatch', 'The callback has no valid issuer.', {
          cause: error,
        });
      }
      break;
    }
    case 'OAUTH_RESPONSE_IS_NOT_CONFORM': {
      const status = error.cause instanceof Response ? error.cause.status : undefined;
      if (status !== undefined && status >= 500) {
        return new ProviderUnavailableError(`The provider answered HTTP ${status}.`, {
          cause: error,
          status,
        });
      }
      return new ProviderResponseError(`The ${operation} request got an unexpected HTTP status.`, {
        cause: error,
        status,
      });
    }
  }
  return new ProviderResponseError(`The ${operation} response could not be used.`, {
    cause: error,
  });
}

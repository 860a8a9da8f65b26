import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logtoErrorCodes } from './errors/codes.js';
import {
  AccessDeniedError,
  AfterCallbackError,
  type AnyLogtoError,
  AuthorizationError,
  IdTokenClaimError,
  IdTokenSignatureError,
  InsufficientScopeError,
  InvalidAccessTokenError,
  InvalidBearerRequestError,
  InvalidCallbackError,
  InvalidClientError,
  InvalidGrantError,
  IssuerMismatchError,
  isLogtoError,
  LogoutTokenError,
  LogtoError,
  MissingAccessTokenError,
  NotAuthenticatedError,
  NotAuthorizedError,
  OAuthError,
  OpaqueAccessTokenError,
  OrganizationsScopeRequiredError,
  ProviderResponseError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  RefreshDeferredError,
  SessionStoreUnavailableError,
  SessionTooLargeError,
  SignInRefusedError,
  SignInSessionNotFoundError,
  SignInTransactionNotFoundError,
  SignOutIncompleteError,
  UserInfoError,
} from './errors.js';
import { errorResponse } from './web/error-response.js';

const all: AnyLogtoError[] = [
  new NotAuthenticatedError(),
  new SignInTransactionNotFoundError(),
  new InvalidCallbackError('missing_code', 'no code'),
  new AuthorizationError('access_denied', 'cancelled'),
  new IdTokenSignatureError('invalid_signature', 'bad'),
  new IdTokenClaimError('nonce', 'mismatch'),
  new UserInfoError('subject_mismatch', 'other user'),
  new InvalidGrantError({ status: 400 }),
  new OAuthError({ error: 'invalid_target', status: 400, logtoCode: 'oidc.invalid_target' }),
  new ProviderUnavailableError(),
  new ProviderTimeoutError(),
  new ProviderResponseError('bad discovery'),
  new OrganizationsScopeRequiredError(),
  new OpaqueAccessTokenError(),
  new SessionStoreUnavailableError(),
  new RefreshDeferredError({ resource: 'https://api.example.com' }),
  new SessionTooLargeError(),
  new SignOutIncompleteError(),
  new LogoutTokenError('replayed', 'replayed'),
  new MissingAccessTokenError(),
  new NotAuthorizedError(),
  new InvalidBearerRequestError('malformed'),
  new InvalidAccessTokenError('invalid'),
  new InsufficientScopeError('scope', ['read']),
  new AccessDeniedError({
    status: 403,
    errorDescription: 'user is not a member of the organization',
  }),
  new InvalidClientError({ error: 'invalid_client', status: 401 }),
  new IssuerMismatchError('https://a.example/oidc', 'https://b.example/oidc'),
  new SignInRefusedError(),
  new AfterCallbackError({ cause: new Error('hook bug') }),
];

describe('LogtoError', () => {
  it('gives every error a distinct stable code, also on the class', () => {
    const codes = all.map((error) => error.code);
    assert.equal(new Set(codes).size, all.length);
    for (const error of all) {
      assert.equal((error.constructor as unknown as { code: string }).code, error.code);
      assert.ok(error instanceof LogtoError);
      assert.ok(error instanceof Error);
      assert.equal(error.name, error.constructor.name);
      assert.equal(isLogtoError(error), true);
    }
    assert.equal(isLogtoError(new Error('x')), false);
  });

  it('has one row in the code table for every code, and no row without an error', () => {
    assert.deepEqual(all.map((error) => error.code).sort(), Object.keys(logtoErrorCodes).sort());
    for (const error of all) {
      assert.deepEqual(errorResponse(error), { code: error.code, ...logtoErrorCodes[error.code] });
    }
  });

  it('answers a session too large for cookies with a 500 configuration page', () => {
    assert.equal(errorResponse(new SessionTooLargeError()).status, 500);
    assert.equal(errorResponse(new Error('bug')).status, 500);
    assert.equal(errorResponse(new Error('bug')).code, 'internal_error');
  });

  it('answers by meaning: 403 for a refused user, 500 for a misconfigured app', () => {
    const refused = errorResponse(new AccessDeniedError({ status: 403 }));
    assert.equal(refused.status, 403);
    assert.equal(refused.code, 'oauth.access_denied');
    for (const error of [
      new InvalidClientError({ error: 'invalid_client', status: 401 }),
      new InvalidClientError({ error: 'unauthorized_client', status: 400 }),
      new IssuerMismatchError('https://a.example/oidc', 'https://b.example/oidc'),
    ]) {
      const mapped = errorResponse(error);
      assert.equal(mapped.status, 500);
      assert.equal(mapped.title, 'This app is misconfigured');
      assert.match(mapped.message, /server log/);
    }
  });

  it("shows the app's own words for a refused sign-in, and a default otherwise", () => {
    const own = errorResponse(new SignInRefusedError('Only staff can sign in here.'));
    assert.deepEqual([own.status, own.message], [403, 'Only staff can sign in here.']);
    assert.equal(
      errorResponse(new SignInRefusedError()).message,
      logtoErrorCodes['sign_in.refused'].message,
    );
  });

  it('narrows on code', () => {
    const describe = (error: AnyLogtoError): string => {
      switch (error.code) {
        case 'id_token.claim':
          return error.claim;
        case 'callback.provider_error':
          return error.error;
        case 'oauth.error':
          return `${error.status}`;
        default:
          return error.code;
      }
    };
    assert.equal(describe(new IdTokenClaimError('iss', 'mismatch')), 'iss');
    assert.equal(describe(new AuthorizationError('access_denied')), 'access_denied');
    assert.equal(describe(new OAuthError({ error: 'x', status: 403 })), '403');
  });

  it('keeps SignInSessionNotFoundError as the former name of the same class', () => {
    assert.equal(SignInSessionNotFoundError, SignInTransactionNotFoundError);
    assert.ok(new SignInTransactionNotFoundError() instanceof SignInSessionNotFoundError);
    assert.equal(SignInTransactionNotFoundError.code, 'sign_in_session.not_found');
  });

  it('keeps the cause', () => {
    const cause = new Error('upstream');
    assert.equal(new ProviderTimeoutError(undefined, { cause }).cause, cause);
  });

  it('says which errors can be shown to the user', () => {
    const safe = all.filter((error) => error.clientSafe).map((error) => error.code);
    assert.deepEqual(safe.sort(), [
      'access_token.insufficient_scope',
      'access_token.invalid',
      'access_token.invalid_request',
      'access_token.missing',
      'callback.invalid',
      'callback.provider_error',
      'logout_token.invalid',
      'not_authenticated',
      'not_authorized',
      'oauth.access_denied',
      'oauth.invalid_grant',
      'sign_in.refused',
      'sign_in_session.not_found',
    ]);
  });

  it('writes short messages with the claim or OAuth error, nothing secret', () => {
    assert.equal(
      new IdTokenClaimError('nonce', 'mismatch').message,
      'The ID token "nonce" claim is not the expected value.',
    );
    assert.equal(
      new OAuthError({ error: 'invalid_target' }).message,
      'The provider rejected the request: invalid_target.',
    );
  });
});

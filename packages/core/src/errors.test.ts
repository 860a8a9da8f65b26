import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logtoErrorCodes } from './errors/codes.js';
import {
  type AnyLogtoError,
  AuthorizationError,
  IdTokenClaimError,
  IdTokenSignatureError,
  InvalidCallbackError,
  InvalidGrantError,
  isLogtoError,
  LogoutTokenError,
  LogtoError,
  NotAuthenticatedError,
  OAuthError,
  OpaqueAccessTokenError,
  OrganizationsScopeRequiredError,
  ProviderResponseError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  SessionStoreUnavailableError,
  SessionTooLargeError,
  SignInSessionNotFoundError,
  SignInTransactionNotFoundError,
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
  new SessionTooLargeError(),
  new LogoutTokenError('replayed', 'replayed'),
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
      assert.deepEqual(errorResponse(error), logtoErrorCodes[error.code]);
    }
  });

  it('answers a session too large for cookies with a 500 configuration page', () => {
    assert.equal(errorResponse(new SessionTooLargeError()).status, 500);
    assert.equal(errorResponse(new Error('bug')).status, 500);
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
      'callback.invalid',
      'callback.provider_error',
      'logout_token.invalid',
      'not_authenticated',
      'oauth.invalid_grant',
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

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvalidGrantError,
  NotAuthenticatedError,
  NotAuthorizedError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  RefreshDeferredError,
  SessionStoreUnavailableError,
} from '../errors.js';
import { redirectForError } from './error-redirect.js';

describe('redirectForError', () => {
  it('sends an ended session to sign-in, a deferred refresh or an outage through the refresh route', () => {
    assert.equal(redirectForError(new InvalidGrantError({ status: 400 })), 'signIn');
    assert.equal(redirectForError(new NotAuthenticatedError()), 'signIn');
    assert.equal(
      redirectForError(new RefreshDeferredError({ resource: 'https://a.example' })),
      'refresh',
    );
    assert.equal(redirectForError(new ProviderUnavailableError()), 'refresh');
    assert.equal(redirectForError(new ProviderTimeoutError()), 'refresh');
    assert.equal(redirectForError(new SessionStoreUnavailableError()), 'refresh');
  });

  it('leaves anything else to be thrown', () => {
    assert.equal(redirectForError(new NotAuthorizedError()), undefined);
    assert.equal(redirectForError(new Error('a bug')), undefined);
    assert.equal(redirectForError('not an error'), undefined);
  });
});

/**
 * The harness of the conformance suites: a signed-in user, a provider that then misbehaves, and
 * the checks every refusal must pass (the exact error code and reason, nothing stored). Used by
 * `@logto-kit/core`'s conformance tests.
 */
import assert from 'node:assert/strict';
import { LogtoError, type LogtoErrorCode, type MemoryStorage } from '@logto-kit/core';
import { API_RESOURCE, callbackFor, clientFor, signInWith } from './test-client.js';
import type { TestProvider } from './test-provider.js';

/** The tokens a session holds; sign-ins in flight (`signInSession`) are not tokens. */
export function storedTokens(storage: MemoryStorage): Record<string, string | undefined> {
  return {
    idToken: storage.get('idToken'),
    refreshToken: storage.get('refreshToken'),
    accessTokenMap: storage.get('accessTokenMap'),
  };
}

/** Asserts `error` is a `LogtoError` with this exact code and these field values. */
export function assertLogtoError(
  error: unknown,
  code: LogtoErrorCode,
  fields: Record<string, unknown> = {},
): void {
  assert.ok(error instanceof LogtoError, `expected a LogtoError, got ${String(error)}`);
  assert.equal(error.code, code, `code of ${String(error)}`);
  for (const [name, value] of Object.entries(fields)) {
    assert.equal((error as unknown as Record<string, unknown>)[name], value, name);
  }
}

/**
 * Alice is signed in; Bob's sign-in reaches the callback; then `misbehave` changes the provider
 * and the callback is handled. Returns what it threw, after checking that it threw and that
 * Alice's tokens are exactly as they were. The provider behaves again afterwards.
 */
export async function refusedSignIn(
  provider: TestProvider,
  misbehave: () => void | Promise<void>,
): Promise<unknown> {
  const { client, storage } = clientFor(provider);
  await signInWith(provider, client, 'alice');
  const before = storedTokens(storage);
  const callback = await callbackFor(provider, client, 'bob');
  try {
    await misbehave();
    await client.handleSignInCallback(callback);
  } catch (error) {
    assert.deepEqual(storedTokens(storage), before, 'nothing was stored');
    return error;
  } finally {
    provider.behave();
  }
  assert.fail('the callback was accepted');
}

/**
 * Alice is signed in; then `misbehave` changes the provider and an API-resource token is
 * requested, which needs a refresh-token grant. Returns what it threw, after checking that it
 * threw and that the stored tokens are exactly as they were.
 */
export async function refusedRefresh(
  provider: TestProvider,
  misbehave: () => void | Promise<void>,
): Promise<unknown> {
  const { client, storage } = clientFor(provider);
  await signInWith(provider, client, 'alice');
  const before = storedTokens(storage);
  try {
    await misbehave();
    await client.getAccessToken(API_RESOURCE);
  } catch (error) {
    assert.deepEqual(storedTokens(storage), before, 'nothing was stored');
    return error;
  } finally {
    provider.behave();
  }
  assert.fail('the refresh was accepted');
}

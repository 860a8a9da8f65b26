// Sign-out with cookie sessions when the provider does not take the revocation: the user is
// signed out here at once, the failure is logged at `error` with a hint (never a token), and a
// passing failure is retried in the background until a copy of the cookie can no longer refresh.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { clientFor, signInWith } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';
import { InvalidGrantError } from './errors.js';
import type { Logger } from './logger.js';
import { pendingRevocations, revocationRetry } from './revocation-retry.js';
import { MemoryStorage } from './storage.js';
import { readAccessTokenMap } from './tokens.js';

interface Line {
  level: string;
  message: string;
  fields: Record<string, unknown> | undefined;
}

function capture(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, fields });
    };
  return {
    lines,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
  };
}

/** A copy of the session (a cookie taken before sign-out) whose access token has expired. */
function expiredCopy(storage: MemoryStorage): MemoryStorage {
  const copy = new MemoryStorage(storage.snapshot());
  const map = readAccessTokenMap(copy.get('accessTokenMap'));
  for (const entry of Object.values(map)) entry.expiresAt = 0;
  copy.set('accessTokenMap', JSON.stringify(map));
  return copy;
}

async function settled(): Promise<void> {
  for (let waited = 0; pendingRevocations() > 0 && waited < 5_000; waited += 20) await sleep(20);
  assert.equal(pendingRevocations(), 0, 'nothing waits for a retry');
}

describe('sign-out when the provider does not take the revocation', () => {
  let provider: TestProvider;
  const defaults = { ...revocationRetry };
  before(async () => {
    provider = await TestProvider.start();
    Object.assign(revocationRetry, { delays: [50, 100], every: 100, window: 2_000 });
  });
  afterEach(async () => {
    provider.behave();
    await settled();
  });
  after(async () => {
    Object.assign(revocationRetry, defaults);
    await provider.close();
  });

  function assertNoSecrets(lines: Line[], storage: MemoryStorage): void {
    const secrets = [storage.get('refreshToken'), storage.get('idToken')].filter(
      (value): value is string => typeof value === 'string',
    );
    assert.ok(secrets.length === 2, 'the session had tokens');
    const text = JSON.stringify(lines);
    for (const secret of secrets) assert.ok(!text.includes(secret), 'no token in a log line');
  }

  it('retries a revocation the provider answers 503, logs it at error with a hint, then the copy is signed out', async () => {
    const { logger, lines } = capture();
    const { client, storage } = clientFor(provider, { logger });
    await signInWith(provider, client);
    const copy = expiredCopy(storage);
    const signedIn = new MemoryStorage(storage.snapshot());
    provider.resetCounts();
    provider.cannedResponses.revocation = { status: 503, body: '<h1>Service Unavailable</h1>' };
    const url = await client.signOut('http://localhost:3000/');
    assert.match(url, /session\/end\?/, 'the sign-out goes on');
    assert.equal(await client.isAuthenticated(), false, 'signed out here at once');
    const [line] = lines.filter((entry) => entry.level === 'error');
    assert.ok(line, 'an error line');
    assert.match(line.message, /^logto: token revocation failed \[/);
    assert.match(line.message, /HTTP 503/);
    assert.match(line.message, /Logto answered HTTP 503: it is failing/, 'the hint');
    assert.match(line.message, /retrying in the background for up to \d+ minutes/);
    assert.equal(line.fields?.operation, 'revocation');
    assert.equal(pendingRevocations(), 1);

    // Still refused on the first retries; the provider then comes back.
    await sleep(200);
    assert.ok(provider.counts.revocation >= 2, 'retried in the background');
    delete provider.cannedResponses.revocation;
    await settled();
    assert.ok(
      lines.some((entry) => /revocation succeeded on background attempt/.test(entry.message)),
    );
    // The copy of the cookie taken before sign-out can no longer refresh.
    await assert.rejects(clientFor(provider, {}, copy).client.getAccessToken(), InvalidGrantError);
    assertNoSecrets(lines, signedIn);
  });

  it('does not retry a revocation the provider refuses (400 invalid_client), and states the limit', async () => {
    const { logger, lines } = capture();
    const { client, storage } = clientFor(provider, { logger });
    await signInWith(provider, client);
    const signedIn = new MemoryStorage(storage.snapshot());
    const copy = expiredCopy(storage);
    provider.resetCounts();
    provider.cannedResponses.revocation = {
      status: 400,
      body: JSON.stringify({ error: 'invalid_client' }),
      contentType: 'application/json',
    };
    await client.signOut();
    await sleep(300);
    assert.equal(provider.counts.revocation, 1, 'not retried: the answer would be the same');
    assert.equal(pendingRevocations(), 0);
    const [line] = lines.filter((entry) => entry.level === 'error');
    assert.ok(line);
    assert.match(line.message, /invalid_client/);
    assert.match(line.message, /LOGTO_APP_ID \/ LOGTO_APP_SECRET/, 'the hint');
    assert.match(line.message, /absolute lifetime ends \(`session\.absolute`, 7 days by default\)/);
    assert.match(line.message, /Not retried/);
    assertNoSecrets(lines, signedIn);
    // The limit, shown: the copy still refreshes.
    provider.behave();
    assert.ok(await clientFor(provider, {}, copy).client.getAccessToken());
  });

  it('gives up after the retry window and says so', async () => {
    const { logger, lines } = capture();
    const { client } = clientFor(provider, { logger });
    await signInWith(provider, client);
    provider.resetCounts();
    provider.cannedResponses.revocation = { status: 502, body: 'bad gateway' };
    const window = revocationRetry.window;
    revocationRetry.window = 400;
    try {
      await client.signOut();
      await settled();
    } finally {
      revocationRetry.window = window;
    }
    const errors = lines.filter((entry) => entry.level === 'error');
    assert.equal(errors.length, 2, 'the failure, then giving up');
    assert.match(errors[1]!.message, /Gave up after \d+ background attempts/);
    assert.match(errors[1]!.message, /7 days by default/);
    assert.ok(provider.counts.revocation >= 3, `${provider.counts.revocation} attempts`);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { authorizationRequest, exchangeCode, tokenRequest } from '@logto-kit/testing/oidc-requests';
import { completeSignIn } from './headless.js';
import { defaultSeed, demo, type SeedInput } from './seed.js';
import { type DevServer, startDevServer } from './server.js';

const credentials = { username: demo.username, password: demo.password };

async function signIn(idp: DevServer, clientId: string = demo.appId): Promise<string> {
  const request = authorizationRequest(idp, { clientId });
  const callback = await completeSignIn(request.url, credentials);
  const auth = clientId === demo.appId ? undefined : null;
  const extra: Record<string, string> = auth === null ? { client_id: clientId } : {};
  const { status, body } = await exchangeCode(idp, callback, request.verifier, extra, auth);
  assert.equal(status, 200);
  return String(body.refresh_token);
}

function refresh(idp: DevServer, refreshToken: string, clientId: string = demo.appId) {
  const isPublic = clientId !== demo.appId;
  return tokenRequest(
    idp,
    {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      ...(isPublic ? { client_id: clientId } : {}),
    },
    ...((isPublic ? [null] : []) as [null]),
  );
}

function seedWith(overrides: Partial<SeedInput>): SeedInput {
  return { ...defaultSeed(), ...overrides };
}

describe('refresh token rotation: strict policy', () => {
  let idp: DevServer;
  before(async () => {
    idp = await startDevServer({
      port: 0,
      quiet: true,
      seed: seedWith({ refreshTokenRotation: 'strict' }),
    });
  });
  after(() => idp.close());

  it('rotates the refresh token on every use', async () => {
    const first = await signIn(idp);
    const a = await refresh(idp, first);
    assert.equal(a.status, 200);
    assert.notEqual(a.body.refresh_token, first);
    const b = await refresh(idp, String(a.body.refresh_token));
    assert.equal(b.status, 200);
    assert.notEqual(b.body.refresh_token, a.body.refresh_token);
  });

  it('revokes the whole grant when a spent refresh token is presented again', async () => {
    const first = await signIn(idp);
    const rotated = await refresh(idp, first);
    assert.equal(rotated.status, 200);
    const reuse = await refresh(idp, first);
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body.error, 'invalid_grant');
    // The newest token died with the grant.
    const after = await refresh(idp, String(rotated.body.refresh_token));
    assert.equal(after.status, 400);
    assert.equal(after.body.error, 'invalid_grant');
  });
});

describe("refresh token rotation: Logto's policy", () => {
  let idp: DevServer;
  before(async () => {
    idp = await startDevServer({
      port: 0,
      quiet: true,
      seed: seedWith({
        ttl: { idToken: 3600, accessToken: 2, refreshToken: 4, session: 3600, grant: 3600 },
      }),
    });
  });
  after(() => idp.close());

  it('gives access tokens the seed’s lifetime', async () => {
    const token = await signIn(idp);
    const { body } = await refresh(idp, token);
    assert.equal(body.expires_in, 2);
  });

  it('keeps a confidential client’s refresh token until 70 % of its life, then rotates', async () => {
    const token = await signIn(idp);
    const early = await refresh(idp, token);
    assert.equal(early.status, 200);
    assert.equal(early.body.refresh_token, token);
    await sleep(3000); // 75 % of 4 s
    const late = await refresh(idp, token);
    assert.equal(late.status, 200);
    assert.notEqual(late.body.refresh_token, token);
  });

  it('rotates a public client’s token and accepts the old one for 3 s, then revokes the grant', async () => {
    const token = await signIn(idp, demo.publicAppId);
    const rotated = await refresh(idp, token, demo.publicAppId);
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.refresh_token, token);
    const concurrent = await refresh(idp, token, demo.publicAppId);
    assert.equal(concurrent.status, 200, 'a token consumed < 3 s ago still works');
    await sleep(3100);
    const stale = await refresh(idp, token, demo.publicAppId);
    assert.equal(stale.status, 400);
    assert.equal(stale.body.error, 'invalid_grant');
    const newest = await refresh(idp, String(rotated.body.refresh_token), demo.publicAppId);
    assert.equal(newest.status, 400, 'reuse after the leeway revokes the grant');
  });
});

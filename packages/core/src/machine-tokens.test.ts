/** Client-credentials tokens against the real dev server's seeded machine-to-machine app. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DevServer, demo, startDevServer } from '@logto-kit/dev-server';
import { InvalidAccessTokenError } from './errors/access-token.js';
import { InvalidClientError, isLogtoError } from './errors.js';
import { MachineTokens } from './machine-tokens.js';
import { AccessTokenVerifier } from './resource-server/access-token-verifier.js';

let idp: DevServer;
const machineFor = (secret: string = demo.machineAppSecret) =>
  new MachineTokens({
    endpoint: idp.endpoint,
    appId: demo.machineAppId,
    appSecret: secret,
    logger: false,
  });

before(async () => {
  idp = await startDevServer({ port: 0, quiet: true });
});
after(() => idp?.close());

describe('MachineTokens', () => {
  it('gets a token for an API that a resource server accepts as the app itself', async () => {
    const token = await machineFor().getAccessToken({
      resource: demo.resource,
      scopes: ['read', 'write'],
    });
    const verifier = new AccessTokenVerifier({ endpoint: idp.endpoint, resource: demo.resource });
    const auth = await verifier.verify(token);
    assert.equal(auth.subject, demo.machineAppId);
    assert.equal(auth.clientId, demo.machineAppId);
    assert.equal(auth.isMachine, true);
    assert.deepEqual(auth.scopes, ['read'], 'only what its role grants');
  });

  it('caches the token and asks once for many concurrent callers', async () => {
    const machine = machineFor();
    idp.resetCounts();
    const tokens = await Promise.all(
      Array.from({ length: 8 }, () => machine.getAccessToken({ resource: demo.resource })),
    );
    assert.equal(new Set(tokens).size, 1);
    assert.equal(await machine.getAccessToken({ resource: demo.resource }), tokens[0]);
    assert.equal(idp.requestCount('token'), 1);
  });

  it('needs a resource or an organization, and a secret', async () => {
    await assert.rejects(machineFor().getAccessToken({}), TypeError);
    assert.throws(
      () => new MachineTokens({ endpoint: idp.endpoint, appId: demo.machineAppId }),
      TypeError,
    );
  });

  it('says when the provider refuses the credentials, without the secret', async () => {
    const secret = 'a-wrong-secret-that-must-not-leak';
    const error = await machineFor(secret)
      .getAccessToken({ resource: demo.resource })
      .catch((e: unknown) => e);
    assert.ok(error instanceof InvalidClientError, String(error));
    assert.ok(isLogtoError(error) && !error.message.includes(secret));
  });

  it('refuses an unknown resource with a provider error, not a token', async () => {
    const error = await machineFor()
      .getAccessToken({ resource: 'https://unknown.example.com' })
      .catch((e: unknown) => e);
    assert.ok(isLogtoError(error), String(error));
    assert.equal(error.code, 'oauth.error');
  });

  it('gets an organization token (aud urn:logto:organization:<id>) that the organization’s API accepts', async () => {
    const machine = machineFor();
    const token = await machine.getAccessToken({
      organizationId: demo.organizationId,
      scopes: ['read:projects'],
    });
    const verifier = new AccessTokenVerifier({
      endpoint: idp.endpoint,
      organization: demo.organizationId,
    });
    const auth = await verifier.verify(token, demo.organizationId);
    assert.equal(auth.audience, `urn:logto:organization:${demo.organizationId}`);
    assert.equal(auth.organizationId, demo.organizationId);
    assert.equal(auth.subject, demo.machineAppId);
    assert.equal(auth.isMachine, true);
    assert.deepEqual(auth.scopes, ['read:projects']);
    // Another organization's API refuses it; the API token of the app is another token.
    await assert.rejects(verifier.verify(token, 'globex'), InvalidAccessTokenError);
    idp.resetCounts();
    assert.equal(
      await machine.getAccessToken({
        organizationId: demo.organizationId,
        scopes: ['read:projects'],
      }),
      token,
    );
    assert.notEqual(await machine.getAccessToken({ resource: demo.resource }), token);
    assert.equal(idp.requestCount('token'), 1, 'the organization token came from the cache');
  });

  it('gets an organization-scoped API token with a resource and an organization', async () => {
    const token = await machineFor().getAccessToken({
      resource: demo.resource,
      organizationId: demo.organizationId,
    });
    const verifier = new AccessTokenVerifier({
      endpoint: idp.endpoint,
      resource: demo.resource,
      organization: demo.organizationId,
    });
    const auth = await verifier.verify(token, demo.organizationId);
    assert.equal(auth.audience, demo.resource);
    assert.equal(auth.organizationId, demo.organizationId);
    assert.equal(auth.isMachine, true);
  });

  it('says when the app is not a member of the organization: 403 access_denied, no token', async () => {
    const error = await machineFor()
      .getAccessToken({ organizationId: 'globex' })
      .catch((e: unknown) => e);
    assert.ok(isLogtoError(error), String(error));
    assert.equal(error.code, 'oauth.access_denied');
    assert.ok(!error.message.includes(demo.machineAppSecret));
  });
});

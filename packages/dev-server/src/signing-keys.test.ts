// Signing keys as Logto manages them: rotation adds a key that signs from then on; removal takes
// a key out of the JWKS, so tokens it signed stop verifying.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { basicAuth, tokenRequest } from '@logto-kit/testing/oidc-requests';
import { decodeProtectedHeader } from 'jose';
import { demo } from './seed.js';
import { type DevServer, startDevServer } from './server.js';

describe('dev server: signing keys', () => {
  let idp: DevServer;
  before(async () => {
    idp = await startDevServer({ port: 0, quiet: true });
  });
  after(() => idp.close());

  const published = async () => {
    const response = await fetch(`${idp.issuer}/jwks`);
    return ((await response.json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
  };
  const signer = async () => {
    const { body } = await tokenRequest(
      idp,
      { grant_type: 'client_credentials', resource: demo.resource },
      basicAuth(demo.machineAppId, demo.machineAppSecret),
    );
    return decodeProtectedHeader(String(body.access_token)).kid;
  };

  it('rotates: the new key signs, the old one stays published', async () => {
    const [first] = await published();
    assert.equal(await signer(), first);
    await idp.rotateSigningKey();
    const keys = await published();
    assert.equal(keys.length, 2);
    assert.equal(keys[1], first);
    assert.equal(await signer(), keys[0]);
  });

  it('removes a key from the JWKS; removing the newest makes the next one sign', async () => {
    const [newest, old] = await published();
    idp.removeSigningKey(old!);
    assert.deepEqual(await published(), [newest]);
    assert.deepEqual(
      idp.publicKeys.keys.map((key) => key.kid),
      [newest],
    );
    await idp.rotateSigningKey();
    const [latest] = await published();
    idp.removeSigningKey(latest!);
    assert.equal(await signer(), newest);
  });

  it('refuses to remove an unknown key or the last one', async () => {
    assert.throws(() => idp.removeSigningKey('no-such-key'), /no signing key "no-such-key"/);
    const [only] = await published();
    assert.throws(() => idp.removeSigningKey(only!), /cannot remove the last signing key/);
    assert.deepEqual(await published(), [only]);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clientFor, REDIRECT_URI } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';
import { discoveryUrl, processDiscoveryDocument } from './discovery.js';
import { IssuerMismatchError, ProviderResponseError } from './errors.js';

const issuer = 'https://tenant.logto.app/oidc';
const document = {
  issuer,
  authorization_endpoint: `${issuer}/auth`,
  token_endpoint: `${issuer}/token`,
  jwks_uri: `${issuer}/jwks`,
  userinfo_endpoint: `${issuer}/me`,
  end_session_endpoint: `${issuer}/session/end`,
  extra_field: true,
};

describe('processDiscoveryDocument', () => {
  it('uses the Logto discovery path', () => {
    assert.equal(
      discoveryUrl('https://tenant.logto.app'),
      'https://tenant.logto.app/oidc/.well-known/openid-configuration',
    );
  });

  it('accepts a document for the configured issuer and keeps unknown fields', () => {
    const metadata = processDiscoveryDocument(document, issuer, false);
    assert.equal(metadata.token_endpoint, `${issuer}/token`);
    assert.equal(metadata.extra_field, true);
  });

  it('rejects a document for another issuer', () => {
    assert.throws(
      () => processDiscoveryDocument({ ...document, issuer: 'https://evil/oidc' }, issuer, false),
      IssuerMismatchError,
    );
  });

  it('rejects a document without a token endpoint', () => {
    const { token_endpoint: _missing, ...rest } = document;
    assert.throws(() => processDiscoveryDocument(rest, issuer, false), ProviderResponseError);
  });

  it('rejects plain http endpoints for an https issuer', () => {
    assert.throws(
      () =>
        processDiscoveryDocument(
          { ...document, token_endpoint: 'http://tenant.logto.app/oidc/token' },
          issuer,
          false,
        ),
      ProviderResponseError,
    );
  });

  it('rejects non-loopback http endpoints for a loopback issuer', () => {
    const local = 'http://localhost:3001/oidc';
    const localDocument = {
      ...document,
      issuer: local,
      authorization_endpoint: `${local}/auth`,
      token_endpoint: 'http://evil.example/token',
      jwks_uri: `${local}/jwks`,
      userinfo_endpoint: `${local}/me`,
      end_session_endpoint: `${local}/session/end`,
    };
    assert.throws(
      () => processDiscoveryDocument(localDocument, local, true),
      ProviderResponseError,
    );
  });
});

describe('shared discovery', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await TestProvider.start();
  });
  after(async () => {
    await provider.close();
  });

  it('fetches the document once for many clients and calls at once', async () => {
    provider.delays.discovery = 50;
    const clients = Array.from({ length: 25 }, () => clientFor(provider).client);
    await Promise.all(clients.map((client) => client.signIn({ redirectUri: REDIRECT_URI })));
    await clientFor(provider).client.signIn({ redirectUri: REDIRECT_URI });
    assert.equal(provider.counts.discovery, 1);
    provider.delays.discovery = 0;
  });

  it('does not cache a failure: the next call tries again', async () => {
    const flaky = await TestProvider.start();
    try {
      flaky.discoveryHook = (body) => {
        body.issuer = 'https://evil.example/oidc';
      };
      const { client } = clientFor(flaky);
      await assert.rejects(client.signIn({ redirectUri: REDIRECT_URI }), IssuerMismatchError);
      flaky.discoveryHook = undefined;
      await client.signIn({ redirectUri: REDIRECT_URI });
      assert.equal(flaky.counts.discovery, 2);
    } finally {
      await flaky.close();
    }
  });
});

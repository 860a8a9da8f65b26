import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogtoClient } from './client.js';
import { type LogtoClientConfig, resolveConfig } from './config.js';
import { MemoryStorage } from './storage.js';

const valid = { endpoint: 'https://tenant.logto.app', appId: 'app-id', appSecret: 's3cr3t-value' };

describe('resolveConfig', () => {
  it('normalises the endpoint and derives the issuer', () => {
    const config = resolveConfig({ ...valid, endpoint: 'https://tenant.logto.app/' });
    assert.equal(config.endpoint, 'https://tenant.logto.app');
    assert.equal(config.issuer, 'https://tenant.logto.app/oidc');
  });

  it('keeps a tenant path', () => {
    const config = resolveConfig({ ...valid, endpoint: 'https://cloud.example/tenant-1/' });
    assert.equal(config.issuer, 'https://cloud.example/tenant-1/oidc');
  });

  it('has the documented defaults', () => {
    const config = resolveConfig(valid);
    assert.deepEqual(config.scopes, ['openid', 'offline_access', 'profile']);
    assert.deepEqual(config.resources, []);
    assert.deepEqual(config.prompt, ['consent']);
    assert.equal(config.clientAuthMethod, 'client_secret_basic');
    assert.equal(config.timeout, 10_000);
    assert.equal(config.clockTolerance, 60);
  });

  it('makes a public client without a secret', () => {
    const { appSecret: _secret, ...publicConfig } = valid;
    assert.equal(resolveConfig(publicConfig).clientAuthMethod, 'none');
  });

  it('can use client_secret_post', () => {
    const config = resolveConfig({ ...valid, clientAuthMethod: 'client_secret_post' });
    assert.equal(config.clientAuthMethod, 'client_secret_post');
  });

  it('accepts a prompt list', () => {
    assert.deepEqual(resolveConfig({ ...valid, prompt: ['login', 'consent'] }).prompt, [
      'login',
      'consent',
    ]);
  });

  it('is frozen, and does not change the caller object', () => {
    const input: LogtoClientConfig = { ...valid, scopes: ['email'] };
    const config = resolveConfig(input);
    assert.equal(Object.isFrozen(config), true);
    assert.equal(Object.isFrozen(config.scopes), true);
    assert.deepEqual(input.scopes, ['email']);
    assert.throws(() => {
      (config as { appId: string }).appId = 'other';
    }, TypeError);
  });

  it('validates a config object once', () => {
    const input = { ...valid };
    assert.equal(resolveConfig(input), resolveConfig(input));
  });

  it('accepts a resolved config as is', () => {
    const config = resolveConfig({ ...valid });
    assert.equal(resolveConfig(config), config);
  });

  it('allows plain http on loopback only', () => {
    for (const endpoint of [
      'http://localhost:3001',
      'http://127.0.0.1:3001',
      'http://[::1]:3001',
    ]) {
      assert.equal(resolveConfig({ ...valid, endpoint }).insecureLoopback, true, endpoint);
    }
    for (const endpoint of [
      'http://tenant.logto.app',
      'http://10.0.0.1',
      'http://localhost.evil.com',
      // Reserved, but Node resolves it through DNS: not a promise of loopback.
      'http://tenant.localhost:3001',
    ]) {
      assert.throws(() => resolveConfig({ ...valid, endpoint }), TypeError, endpoint);
    }
  });

  const mistakes: [string, unknown][] = [
    ['a relative endpoint', { ...valid, endpoint: 'tenant.logto.app' }],
    ['an endpoint with a query', { ...valid, endpoint: 'https://tenant.logto.app?x=1' }],
    ['an ftp endpoint', { ...valid, endpoint: 'ftp://tenant.logto.app' }],
    ['a missing appId', { endpoint: valid.endpoint }],
    ['an empty appId', { ...valid, appId: '' }],
    ['an unknown option', { ...valid, appSecretTypo: 'x' }],
    ['a scope that is not a string', { ...valid, scopes: [1] }],
    ['a resource that is not a URI', { ...valid, resources: ['api'] }],
    ['an unknown prompt', { ...valid, prompt: 'always' }],
    ['a negative timeout', { ...valid, timeout: -1 }],
    ['a clock tolerance beyond 5 minutes', { ...valid, clockTolerance: 3600 }],
    ['a fetch that is not a function', { ...valid, fetch: 'fetch' }],
    ['not an object', 'https://tenant.logto.app'],
  ];
  for (const [name, input] of mistakes) {
    it(`throws a TypeError for ${name}`, () => {
      assert.throws(() => resolveConfig(input as LogtoClientConfig), TypeError);
    });
  }

  it('never echoes the secret in a validation error', () => {
    try {
      resolveConfig({ ...valid, appId: '' });
      assert.fail('expected a TypeError');
    } catch (error) {
      assert.ok(error instanceof TypeError);
      assert.equal(error.message.includes(valid.appSecret), false);
      assert.match(error.message, /appId/);
    }
  });
});

describe('new LogtoClient', () => {
  it('needs a storage', () => {
    assert.throws(
      () => new LogtoClient(valid, undefined as unknown as { storage: MemoryStorage }),
      TypeError,
    );
    assert.throws(() => new LogtoClient(valid, { storage: {} as MemoryStorage }), TypeError);
  });

  it('does no I/O when constructed', () => {
    const client = new LogtoClient(valid, { storage: new MemoryStorage() });
    assert.equal(client.config.appId, 'app-id');
  });
});

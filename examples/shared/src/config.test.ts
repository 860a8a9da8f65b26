import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, readConfig } from './config.js';

const local = { LOGTO_ENDPOINT: 'http://localhost:3001', LOGTO_APP_ID: 'app' };

describe('example config', () => {
  it('defaults the port and base URL, and generates a session secret for the local provider', () => {
    const config = readConfig(local);
    assert.equal(config.port, 3000);
    assert.equal(config.baseUrl, 'http://localhost:3000');
    assert.equal(config.generatedSessionSecret, true);
    assert.ok(config.sessionSecret.length >= 32);
    assert.equal(config.sessionStore, undefined);
    assert.equal(
      readConfig({ ...local, SESSION_STORE: 'redis://127.0.0.1:6379' }).sessionStore,
      'redis://127.0.0.1:6379',
    );
    for (const store of [
      'redis+cluster://10.0.0.1:7000,10.0.0.2:7000',
      'rediss+sentinel://s1,s2/main',
    ]) {
      assert.equal(readConfig({ ...local, SESSION_STORE: store }).sessionStore, store);
    }
  });

  it('reads a machine-to-machine app only as a pair', () => {
    assert.equal(readConfig(local).machine, undefined);
    assert.deepEqual(
      readConfig({ ...local, LOGTO_M2M_APP_ID: 'm2m', LOGTO_M2M_APP_SECRET: 's3cret' }).machine,
      { appId: 'm2m', appSecret: 's3cret' },
    );
    assert.throws(
      () => readConfig({ ...local, LOGTO_M2M_APP_SECRET: 's3cret' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /^LOGTO_M2M_APP_ID and LOGTO_M2M_APP_SECRET go together/.test(error.message) &&
        !error.message.includes('s3cret'),
    );
  });

  it('says in one line which setting is missing or wrong', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /^LOGTO_ENDPOINT is not set/],
      [{ LOGTO_ENDPOINT: 'localhost:3001' }, /^LOGTO_ENDPOINT must be an http\(s\) URL/],
      [{ LOGTO_ENDPOINT: 'http://localhost:3001' }, /^LOGTO_APP_ID is not set/],
      [{ ...local, PORT: 'eighty' }, /^PORT must be a port number/],
      [{ ...local, SESSION_SECRET: 'short' }, /^SESSION_SECRET must be at least 32 characters/],
      [{ ...local, LOGTO_RESOURCE: 'not a uri' }, /^LOGTO_RESOURCE must be an API identifier/],
      [
        { ...local, SESSION_STORE: 'memcached://user:s3cret@x' },
        /^SESSION_STORE must be a redis:\/\/, redis\+cluster:\/\/ or redis\+sentinel:\/\/ URL, got "memcached:\/\/x"/,
      ],
      [
        { LOGTO_ENDPOINT: 'https://tenant.logto.app', LOGTO_APP_ID: 'app' },
        /^SESSION_SECRET is not set/,
      ],
    ];
    for (const [env, message] of cases) {
      assert.throws(
        () => readConfig(env),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, message);
          assert.equal(error.message.includes('\n'), false);
          return true;
        },
      );
    }
  });

  it('reads a real tenant’s settings', () => {
    const config = readConfig({
      PORT: '8080',
      LOGTO_ENDPOINT: 'https://tenant.logto.app/',
      LOGTO_APP_ID: 'app',
      LOGTO_APP_SECRET: 'secret',
      SESSION_SECRET: 'x'.repeat(40),
      LOGTO_RESOURCE: 'https://api.example.com',
      LOGTO_BASE_URL: 'https://app.example.com',
    });
    assert.equal(config.endpoint, 'https://tenant.logto.app');
    assert.equal(config.baseUrl, 'https://app.example.com');
    assert.equal(config.generatedSessionSecret, false);
    assert.equal(config.resource, 'https://api.example.com');
  });
});

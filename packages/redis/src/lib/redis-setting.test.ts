import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRedisSetting } from './redis-setting.js';

describe('readRedisSetting', () => {
  it('reads one node, a cluster and Sentinel', () => {
    assert.deepEqual(readRedisSetting(' redis://127.0.0.1:6379/2 '), {
      kind: 'node',
      url: 'redis://127.0.0.1:6379/2',
    });
    assert.deepEqual(readRedisSetting('rediss+cluster://app:p%40ss@10.0.0.1:7000,[::1]:7001,h'), {
      kind: 'cluster',
      tls: true,
      username: 'app',
      password: 'p@ss',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '::1', port: 7001 },
        { host: 'h', port: 6379 },
      ],
      name: '',
    });
    assert.deepEqual(readRedisSetting('redis+sentinel://:pw@s1,s2:26380/my%20master'), {
      kind: 'sentinel',
      tls: false,
      username: undefined,
      password: 'pw',
      nodes: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      name: 'my master',
    });
  });

  it('refuses a malformed setting with a TypeError that does not repeat it', () => {
    for (const setting of [
      'memcached://x',
      'redis+cluster://',
      'redis+cluster://a:1/name',
      'redis+sentinel://a:1,b:2',
      'redis+sentinel://a:99999/m',
      'redis+cluster://user:s3cret%zz@a:1',
      'redis+mesh://user:s3cret@a:1',
    ]) {
      assert.throws(
        () => readRedisSetting(setting),
        (error: unknown) =>
          error instanceof TypeError &&
          /^The Redis setting is not valid/.test(error.message) &&
          !error.message.includes('s3cret'),
        setting,
      );
    }
  });
});

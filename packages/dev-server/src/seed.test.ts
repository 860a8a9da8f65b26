import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultSeed, loadSeedFile, parseSeed, SeedError } from './seed.js';

describe('seed', () => {
  it('accepts the built-in seed and fills in defaults', () => {
    const seed = parseSeed(defaultSeed());
    assert.equal(seed.refreshTokenRotation, 'logto');
    assert.equal(seed.ttl.refreshToken, 14 * 24 * 3600);
    assert.equal(seed.applications[0]?.firstParty, true);
  });

  it('lists every problem with its path', () => {
    const seed = defaultSeed();
    seed.users![0]!.roles = ['nope'];
    seed.organizations![0]!.members = [{ userId: 'ghost', roles: ['owner'] }];
    seed.organizations![1]!.applications = [{ appId: 'logto-kit-demo', roles: ['boss'] }];
    seed.roles = [{ name: 'reader', scopes: { 'https://api.example.com': ['delete'] } }];
    const error = (() => {
      try {
        parseSeed(seed);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof SeedError);
    assert.match(error.message, /users\.0\.roles: unknown role "nope"/);
    assert.match(error.message, /organizations\.0\.members\.0: unknown user "ghost"/);
    assert.match(error.message, /unknown organization role "owner"/);
    assert.match(error.message, /has no scope "delete"/);
    assert.match(
      error.message,
      /organizations\.1\.applications\.0: "logto-kit-demo" is not a machine application/,
    );
    assert.match(error.message, /unknown organization role "boss"/);
  });

  it('needs a secret for a traditional app and absolute URIs', () => {
    assert.throws(
      () => parseSeed({ applications: [{ id: 'a', redirectUris: ['http://localhost/cb'] }] }),
      /applications\.0\.secret/,
    );
    assert.throws(
      () =>
        parseSeed({
          applications: [{ id: 'a', type: 'spa', redirectUris: ['/relative'] }],
        }),
      /redirectUris\.0: must be an http\(s\) URL/,
    );
    assert.throws(() => parseSeed({ applications: [], extra: true }), /Invalid seed/);
  });

  it('reads a JSON file and says clearly when it cannot', async () => {
    const path = join(tmpdir(), `logto-dev-seed-${process.pid}.json`);
    await writeFile(path, JSON.stringify(defaultSeed()));
    assert.equal((await loadSeedFile(path)).users.length, 2);
    await writeFile(path, '{ not json');
    await assert.rejects(loadSeedFile(path), /is not valid JSON/);
    await assert.rejects(loadSeedFile(`${path}.missing`), /Cannot read the seed file/);
  });
});

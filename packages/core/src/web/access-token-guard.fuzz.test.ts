/**
 * Any `Authorization` header, fuzzed with fast-check against the real dev server: the guard
 * answers 400 or 401 with an RFC 6750 challenge (only the characters it allows), never
 * throws, never repeats the token — a header of another scheme (not `Bearer`) is a bare 401
 * challenge with no error code (RFC 6750 §3.1), and a real token survives only unaltered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DevServer, demo, startDevServer } from '@logto-kit/dev-server';
import { userTokens } from '@logto-kit/testing/access-tokens';
import fc from 'fast-check';
import { AccessTokenGuard } from './access-token-guard.js';

let idp: DevServer;
let token: string;
let guard: AccessTokenGuard;

before(async () => {
  idp = await startDevServer({ port: 0, quiet: true });
  token = (await userTokens(idp)).api;
  guard = new AccessTokenGuard({ endpoint: idp.endpoint, resource: demo.resource });
});
after(() => idp?.close());

const challenge =
  /^Bearer realm="[^"\\]*"(, error="(invalid_request|invalid_token)", error_description="[\x20\x21\x23-\x5B\x5D-\x7E]*")?$/;

const scheme = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Basic', 'DPoP', 'Bearer Bearer', '');
const spaces = fc.constantFrom(' ', '  ', '\t', '', ' , ');
/** The real token with one character changed, cut, or extended. */
const mutated = fc
  .tuple(fc.nat(), fc.constantFrom('A', '-', '_', '.', '=', ' ', '"', '\\'), fc.nat(3))
  .map(([at, c, how]) => {
    const i = at % token.length;
    if (how === 0) return token.slice(0, i) + c + token.slice(i + 1);
    if (how === 1) return token.slice(0, i);
    if (how === 2) return token + c;
    return `${token} ${token}`;
  });
const header = fc.oneof(
  fc.string(),
  fc.tuple(scheme, spaces, fc.oneof(fc.string(), mutated)).map(([s, w, t]) => `${s}${w}${t}`),
);

describe('the access token guard under arbitrary Authorization headers', () => {
  it('answers 400 or 401 with a well-formed challenge (a bare 401 for another scheme), or accepts the real token', async () => {
    await fc.assert(
      fc.asyncProperty(header, async (authorization) => {
        const result = await guard.check({ authorization });
        if ('auth' in result) {
          // Only the real token, under a Bearer scheme in any case, gets through.
          assert.match(authorization.trim(), /^bearer +\S+$/i);
          assert.equal(authorization.trim().split(/ +/)[1], token);
          return;
        }
        const { status, headers, body } = result.response;
        assert.ok(status === 400 || status === 401, `status ${status}`);
        assert.match(headers['www-authenticate'] ?? '', challenge);
        if (!/^bearer(?:[ \t]|$)/i.test(authorization.trim())) {
          // No Bearer credentials: 401 with a bare challenge, whatever else the header holds.
          assert.equal(status, 401);
          assert.equal(headers['www-authenticate'], `Bearer realm="${demo.resource}"`);
        }
        const sent = authorization.trim().split(/ +/).at(-1) ?? '';
        if (sent.length > 16)
          assert.ok(!body.includes(sent) && !headers['www-authenticate']!.includes(sent));
      }),
      { numRuns: 400 },
    );
  });
});

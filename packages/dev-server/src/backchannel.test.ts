import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  authorizationRequest,
  exchangeCode,
  tokenRequest,
  verify,
} from '@logto-kit/testing/oidc-requests';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { HeadlessUser } from './headless.js';
import { defaultSeed, demo } from './seed.js';
import { type DevServer, startDevServer } from './server.js';

describe('back-channel logout', () => {
  const received: string[] = [];
  const app = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push(body);
      res.statusCode = 200;
      res.end();
    });
  });
  let idp: DevServer;

  before(async () => {
    app.listen(0, '127.0.0.1');
    await once(app, 'listening');
    const { port } = app.address() as AddressInfo;
    const seed = defaultSeed();
    seed.applications[0]!.backchannelLogoutUri = `http://127.0.0.1:${port}/backchannel-logout`;
    idp = await startDevServer({ port: 0, quiet: true, seed });
  });
  after(async () => {
    await idp.close();
    app.close();
  });

  it('posts a signed logout token with the session id to the app, and keeps offline grants', async () => {
    const user = new HeadlessUser({ username: demo.username, password: demo.password });
    const request = authorizationRequest(idp);
    const { body: tokens } = await exchangeCode(
      idp,
      await user.signIn(request.url),
      request.verifier,
    );
    const { payload: idToken } = await verify(idp, tokens.id_token);
    assert.equal(typeof idToken.sid, 'string', 'ID tokens carry sid when the app requires it');

    const endSession = new URL(`${idp.issuer}/session/end`);
    endSession.searchParams.set('client_id', demo.appId);
    endSession.searchParams.set('post_logout_redirect_uri', 'http://localhost:3000/');
    await user.signOut(endSession.href);

    assert.equal(received.length, 1);
    const logoutToken = new URLSearchParams(received[0]).get('logout_token');
    const { payload } = await jwtVerify(
      String(logoutToken),
      createLocalJWKSet(idp.publicKeys as never),
      {
        issuer: idp.issuer,
        audience: demo.appId,
      },
    );
    assert.equal(payload.sub, 'demo-user-01');
    assert.equal(payload.sid, idToken.sid);
    assert.deepEqual(payload.events, { 'http://schemas.openid.net/event/backchannel-logout': {} });
    assert.equal(payload.nonce, undefined);

    // As on Logto, a grant with offline_access survives the end of the session.
    const refreshed = await tokenRequest(idp, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
    });
    assert.equal(refreshed.status, 200);
  });
});

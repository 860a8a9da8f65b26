/** `authenticated({ roles, … })` in Express: core's 403 passes through, never a redirect loop. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demo, HeadlessUser } from '@logto-kit/dev-server';
import { startTestEnv, type TestEnv } from '@logto-kit/testing/express-app';
import express from 'express';
import { authenticated, logto, logtoErrorHandler } from './index.js';

let env: TestEnv;
before(async () => {
  env = await startTestEnv((options) => {
    const app = express();
    app.use(logto(options));
    app.get('/readers', authenticated({ shouldRedirect: true, roles: ['reader'] }), (_req, res) => {
      res.send('allowed');
    });
    app.use(logtoErrorHandler());
    return app;
  });
});
after(() => env?.close());

describe('Express: authenticated() with rules', () => {
  it('lets the demo user (role reader) through', async () => {
    const user = new HeadlessUser({ username: demo.username, password: demo.password });
    const page = await user.visit(`${env.baseUrl}/readers`);
    assert.equal(page.status, 200);
    assert.equal(page.body, 'allowed');
  });

  it('answers Bob 403 after sign-in instead of sending him to sign in again', async () => {
    const user = new HeadlessUser({ username: 'bob', password: 'bob-password' });
    const page = await user.visit(`${env.baseUrl}/readers`);
    assert.equal(page.status, 403);
    assert.equal(page.url, `${env.baseUrl}/readers`);
    assert.equal(JSON.parse(page.body).error, 'not_authorized');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemorySessionStore, SessionStoreUnavailableError } from '@logto-kit/core';
import { demo, HeadlessUser } from '@logto-kit/dev-server';
import { startTestEnv, type TestEnv } from '@logto-kit/testing/express-app';
import express from 'express';
import { authenticated, logto } from './index.js';
import type { LogtoExpressOptions } from './middleware.js';

function buildApp(options: LogtoExpressOptions, app = express()) {
  // A body parser mounted before logto() must not get in the way of the route.
  app.use(express.urlencoded({ extended: false }));
  app.use(logto(options));
  app.get('/', (_req, res) => {
    res.send('home');
  });
  app.get('/api/me', authenticated(), (req, res) => {
    res.json({ sub: req.user?.sub });
  });
  return app;
}

const post = (url: string, body: string): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });

describe('POST /backchannel-logout with cookie sessions', () => {
  let env: TestEnv;
  before(async () => {
    env = await startTestEnv(buildApp);
  });
  after(() => env.close());

  it('answers 400 and says that cookie sessions cannot be ended from the server', async () => {
    const response = await post(`${env.baseUrl}/backchannel-logout`, 'logout_token=eyJ');
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: string; error_description: string };
    assert.equal(body.error, 'invalid_request');
    assert.match(body.error_description, /server-side sessions/);
    assert.match(body.error_description, /session\.store/);
  });

  it('leaves GET /backchannel-logout to the app', async () => {
    const response = await fetch(`${env.baseUrl}/backchannel-logout`);
    assert.equal(response.status, 404);
    await response.body?.cancel();
  });
});

describe('POST /backchannel-logout with a session store', () => {
  let env: TestEnv;
  before(async () => {
    env = await startTestEnv(buildApp, {
      options: {
        session: {
          secret: 'a-test-session-secret-that-is-long-enough-0123456789',
          store: new MemorySessionStore(),
        },
      },
    });
  });
  after(() => env.close());

  it('ends the session when the user signs out at the provider', async () => {
    const user = new HeadlessUser({ username: demo.username, password: demo.password });
    await user.visit(`${env.baseUrl}/sign-in`);
    const before = await user.request(`${env.baseUrl}/api/me`);
    assert.equal(before.status, 200);
    await before.body?.cancel();
    const endSession = new URL(`${env.idp.issuer}/session/end`);
    endSession.searchParams.set('client_id', demo.appId);
    endSession.searchParams.set('post_logout_redirect_uri', `${env.baseUrl}/`);
    await user.signOut(endSession.href);
    const afterwards = await user.request(`${env.baseUrl}/api/me`);
    assert.equal(afterwards.status, 401);
    await afterwards.body?.cancel();
  });

  it('answers 400 with a JSON error for a token that is not a signed JWT, never 500', async () => {
    for (const body of ['', 'logout_token=', 'logout_token=a.b.c', 'x'.repeat(70_000)]) {
      const response = await post(`${env.baseUrl}/backchannel-logout`, body);
      assert.equal(response.status, 400, `body of ${body.length} characters`);
      const error = (await response.json()) as { error: string };
      assert.equal(error.error, 'invalid_request');
    }
  });

  it('serves the route at a configured path', async () => {
    const moved = await startTestEnv(buildApp, {
      options: {
        session: {
          secret: 'a-test-session-secret-that-is-long-enough-0123456789',
          store: new MemorySessionStore(),
        },
        routes: { backchannelLogout: '/auth/logout-callback' },
      },
    });
    try {
      const response = await post(`${moved.baseUrl}/auth/logout-callback`, 'logout_token=a.b.c');
      assert.equal(response.status, 400);
      await response.body?.cancel();
      const old = await post(`${moved.baseUrl}/backchannel-logout`, 'logout_token=a.b.c');
      assert.equal(old.status, 404);
      await old.body?.cancel();
    } finally {
      await moved.close();
    }
  });
});

/** A memory store whose next `deleteBySid` fails, as a store outage part-way would. */
class FailingOnceStore extends MemorySessionStore {
  failNext = false;

  override deleteBySid(sid: string): number {
    if (this.failNext) {
      this.failNext = false;
      throw new SessionStoreUnavailableError();
    }
    return super.deleteBySid(sid);
  }
}

describe('POST /backchannel-logout when ending the sessions fails part-way', () => {
  let env: TestEnv;
  const store = new FailingOnceStore();
  const logoutTokens: string[] = [];
  const answers: number[] = [];
  before(async () => {
    env = await startTestEnv(
      (options) => {
        const app = express();
        app.use(express.urlencoded({ extended: false }));
        // Keeps what the provider posts, to deliver it again as a provider's retry would.
        app.use('/backchannel-logout', (req, res, next) => {
          if (typeof req.body?.logout_token === 'string') logoutTokens.push(req.body.logout_token);
          res.on('finish', () => answers.push(res.statusCode));
          next();
        });
        return buildApp(options, app);
      },
      {
        options: {
          session: { secret: 'a-test-session-secret-that-is-long-enough-0123456789', store },
        },
      },
    );
  });
  after(() => env.close());

  it('answers 503 and records nothing, so the retry ends the session; a third delivery is a replay', async () => {
    const user = new HeadlessUser({ username: demo.username, password: demo.password });
    await user.visit(`${env.baseUrl}/sign-in`);
    store.failNext = true;
    const endSession = new URL(`${env.idp.issuer}/session/end`);
    endSession.searchParams.set('client_id', demo.appId);
    endSession.searchParams.set('post_logout_redirect_uri', `${env.baseUrl}/`);
    await user.signOut(endSession.href);
    assert.deepEqual(answers, [503], 'the provider was told to try again');
    const still = await user.request(`${env.baseUrl}/api/me`);
    assert.equal(still.status, 200, 'the session outlived the failed attempt');
    await still.body?.cancel();

    const [token] = logoutTokens;
    assert.ok(token, 'the provider posted a logout token');
    const retry = await post(`${env.baseUrl}/backchannel-logout`, `logout_token=${token}`);
    assert.equal(retry.status, 200, 'the retry is not a replay');
    await retry.body?.cancel();
    const ended = await user.request(`${env.baseUrl}/api/me`);
    assert.equal(ended.status, 401, 'the retry ended the session');
    await ended.body?.cancel();

    const replay = await post(`${env.baseUrl}/backchannel-logout`, `logout_token=${token}`);
    assert.equal(replay.status, 400);
    assert.match(
      ((await replay.json()) as { error_description: string }).error_description,
      /already used/,
    );
  });
});

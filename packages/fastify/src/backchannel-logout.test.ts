// Back-channel logout on Fastify with sessions in a real redis-server: the provider's form POST
// reaches core through the plugin's own form parser (or the app's), and ends the session.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type DevServer,
  defaultSeed,
  demo,
  HeadlessUser,
  startDevServer,
} from '@logto-kit/dev-server';
import {
  createRedisClient,
  type RedisClientLike,
  RedisReplayCache,
  RedisSessionStore,
} from '@logto-kit/redis';
import { type FastifyServed, serveFastify } from '@logto-kit/testing/fastify-app';
import { RedisServer, redisSkip } from '@logto-kit/testing/redis-server';
import type { FastifyInstance } from 'fastify';
import { authenticated, type LogtoFastifyOptions, logto } from './index.js';

const secret = 'a-fastify-redis-session-secret-0123456789-abc';

describe('Fastify back-channel logout with sessions in Redis', { skip: redisSkip }, () => {
  let redis: RedisServer;
  let client: RedisClientLike & { close(): Promise<void> };
  let served: FastifyServed;
  let idp: DevServer;

  const options = (): LogtoFastifyOptions => ({
    endpoint: idp.endpoint,
    appId: demo.appId,
    appSecret: demo.appSecret,
    baseUrl: served.baseUrl,
    scopes: ['email'],
    session: { secret, store: new RedisSessionStore({ client, secret }) },
    backchannelLogout: { replayCache: new RedisReplayCache({ client }) },
  });
  const app = (build: (app: FastifyInstance) => void = () => undefined) =>
    served.mount((fastify) => {
      build(fastify);
      fastify.register(logto(options()));
      fastify.get('/api/me', { preHandler: authenticated() }, async (request) => ({
        sub: request.user?.sub,
      }));
    });
  const post = (path: string, body: string, type = 'application/x-www-form-urlencoded') =>
    fetch(`${served.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

  /** Signs in, signs out at the provider (which POSTs the logout token), and asks again. */
  async function signedOutByProvider(): Promise<number> {
    const user = new HeadlessUser({ username: demo.username, password: demo.password });
    await user.visit(`${served.baseUrl}/sign-in`);
    const signedIn = await user.request(`${served.baseUrl}/api/me`);
    assert.equal(signedIn.status, 200);
    await signedIn.body?.cancel();
    const keys = await client.sendCommand(['KEYS', 'logto:session:*']);
    assert.ok(Array.isArray(keys) && keys.length > 0, 'the session is in Redis');
    const endSession = new URL(`${idp.issuer}/session/end`);
    endSession.searchParams.set('client_id', demo.appId);
    endSession.searchParams.set('post_logout_redirect_uri', `${served.baseUrl}/`);
    await user.signOut(endSession.href);
    const afterwards = await user.request(`${served.baseUrl}/api/me`);
    await afterwards.body?.cancel();
    return afterwards.status;
  }

  before(async () => {
    redis = await RedisServer.start();
    client = await createRedisClient(redis.url);
    served = await serveFastify();
    idp = await startDevServer({
      port: 0,
      quiet: true,
      seed: defaultSeed({ appBaseUrl: served.baseUrl }),
    });
  });
  after(async () => {
    await served?.close();
    await idp?.close();
    await client?.close();
    await redis?.stop();
  });

  it('ends the Redis session when the user signs out at the provider', async () => {
    app();
    assert.equal(await signedOutByProvider(), 401);
  });

  it('does the same when the app has its own form parser', async () => {
    app((fastify) =>
      fastify.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(`${body}`))),
      ),
    );
    assert.equal(await signedOutByProvider(), 401);
  });

  it('answers 400 JSON for what is not a logout token, 415 for another body type, never 500', async () => {
    app();
    for (const body of ['', 'logout_token=', 'logout_token=a.b.c', 'x'.repeat(70_000)]) {
      const response = await post('/backchannel-logout', body);
      assert.equal(response.status, 400, `body of ${body.length} characters`);
      assert.equal((await response.json()).error, 'invalid_request');
    }
    const xml = await post('/backchannel-logout', '<logout/>', 'application/xml');
    assert.equal(xml.status, 415);
    await xml.body?.cancel();
  });
});

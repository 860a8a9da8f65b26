// The scale-out suite: two app instances in separate processes (each with its own in-process
// refresh coordinator) behind a round-robin load balancer, sharing one Redis deployment (one
// node, a cluster, Sentinel), against the dev server with strict refresh-token rotation (any
// reuse revokes the grant). Each topology adds its own outage test through `extra`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type DevServer,
  defaultSeed,
  demo,
  HeadlessUser,
  startDevServer,
} from '@logto-kit/dev-server';
import { type Instance, startInstance } from './app-instances.js';
import { type LoadBalancer, startLoadBalancer } from './load-balancer.js';

export const accessTokenTtl = 2;
const secret = 'a-scale-out-test-session-secret-0123456789-abcdef';

/** What a topology's own tests get from the suite. */
export interface ScaleOutContext {
  readonly lb: LoadBalancer;
  readonly idp: DevServer;
  /** The running instances (replaced by {@link ScaleOutContext.restart}). */
  instances(): Instance[];
  /** Stops the instances and starts two new ones, with or without the refresh lock. */
  restart(refreshLock: boolean): Promise<void>;
  signIn(): Promise<HeadlessUser>;
  /** The user's session cookie sent straight to one instance, past the load balancer. */
  at(instance: Instance, user: HeadlessUser, path: string): Promise<Response>;
}

export interface ScaleOutSuiteOptions {
  /** How the describe block names the Redis deployment, e.g. "one Redis". */
  readonly name: string;
  readonly skip: string | false;
  /** Starts the deployment; resolves to the setting `createRedisClient` takes and a stop. */
  start(): Promise<{ url: string; stop(): Promise<void> }>;
  /** The deployment's own tests (outages), run after the shared ones. */
  extra?(context: ScaleOutContext): void;
}

export function scaleOutSuite(options: ScaleOutSuiteOptions): void {
  describe(`two app instances sharing ${options.name}`, { skip: options.skip }, () => {
    let redis: { url: string; stop(): Promise<void> };
    let lb: LoadBalancer;
    let idp: DevServer;
    let instances: Instance[] = [];

    const restart = async (refreshLock: boolean): Promise<void> => {
      await Promise.all(instances.map((instance) => instance.stop()));
      instances = [];
      const settings = {
        baseUrl: lb.url,
        endpoint: idp.endpoint,
        appId: demo.appId,
        appSecret: demo.appSecret,
        redisUrl: redis.url,
        secret,
        refreshLock,
      };
      instances = await Promise.all([startInstance(settings), startInstance(settings)]);
      lb.route(instances.map((instance) => instance.port));
    };
    const signIn = async (): Promise<HeadlessUser> => {
      const user = new HeadlessUser({ username: demo.username, password: demo.password });
      const page = await user.visit(`${lb.url}/sign-in`);
      assert.equal(page.url, `${lb.url}/`);
      return user;
    };
    const at = (instance: Instance, user: HeadlessUser, path: string): Promise<Response> =>
      fetch(`${instance.url}${path}`, { headers: { cookie: user.cookieHeader(lb.url) } });

    before(async () => {
      redis = await options.start();
      lb = await startLoadBalancer();
      const seed = defaultSeed({ appBaseUrl: lb.url });
      idp = await startDevServer({
        port: 0,
        quiet: true,
        seed: {
          ...seed,
          refreshTokenRotation: 'strict',
          ttl: {
            idToken: 3600,
            accessToken: accessTokenTtl,
            refreshToken: 3600,
            session: 3600,
            grant: 3600,
          },
        },
      });
      await restart(true);
    });
    after(async () => {
      await Promise.all(instances.map((instance) => instance.stop()));
      await idp?.close();
      await lb?.close();
      await redis?.stop();
    });

    it('signs in through one instance and is signed in at both', async () => {
      const user = await signIn();
      for (const instance of instances) {
        const response = await at(instance, user, '/protected');
        assert.equal(response.status, 200);
        assert.equal(((await response.json()) as { sub: string }).sub, 'demo-user-01');
      }
    });

    it('makes one token request for 50 concurrent requests on an expired token across both', async () => {
      const user = await signIn();
      await sleep((accessTokenTtl + 0.5) * 1000);
      idp.resetCounts();
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => user.request(`${lb.url}/api/token`)),
      );
      const bodies = (await Promise.all(responses.map((r) => r.json()))) as {
        instance?: number;
      }[];
      assert.deepEqual(
        responses.map((r) => r.status),
        Array(50).fill(200),
      );
      assert.equal(new Set(bodies.map((body) => body.instance)).size, 2, 'both answered');
      assert.equal(idp.requestCount('token'), 1);

      // Alive afterwards: once the new access token expires too, the rotated refresh token works.
      await sleep((accessTokenTtl + 0.5) * 1000);
      for (const instance of instances) {
        const later = await at(instance, user, '/api/token');
        assert.equal(later.status, 200);
        await later.body?.cancel();
      }
      assert.equal(idp.requestCount('token'), 2);
    });

    it('signs out through one instance and the session is gone at both', async () => {
      const user = await signIn();
      const cookie = user.cookieHeader(lb.url);
      const page = await user.visit(`${lb.url}/sign-out`);
      assert.equal(page.url, `${lb.url}/`);
      for (const instance of instances) {
        // The cookie from before the sign-out: only the store can say it is over.
        const response = await fetch(`${instance.url}/protected`, { headers: { cookie } });
        assert.equal(response.status, 401);
        await response.body?.cancel();
      }
    });

    it('ends the session in both instances on a back-channel logout, and only that one', async () => {
      const user = await signIn();
      const other = await signIn(); // another provider session
      const logoutsBefore = lb.logoutBodies.length;
      const endSession = new URL(`${idp.issuer}/session/end`);
      endSession.searchParams.set('client_id', demo.appId);
      endSession.searchParams.set('post_logout_redirect_uri', `${lb.url}/`);
      await user.signOut(endSession.href);
      assert.equal(lb.logoutBodies.length, logoutsBefore + 1, 'the provider posted a logout token');
      for (const instance of instances) {
        const response = await at(instance, user, '/protected');
        assert.equal(response.status, 401);
        await response.body?.cancel();
        const untouched = await at(instance, other, '/protected');
        assert.equal(untouched.status, 200, 'another provider session is untouched');
        await untouched.body?.cancel();
      }
    });

    it('refuses a replayed, a forged and a missing logout token with 400 at either instance', async () => {
      const body = lb.logoutBodies.at(-1)!;
      const token = new URLSearchParams(body).get('logout_token')!;
      const [header, payload] = token.split('.');
      const forged = `${header}.${payload}.${'A'.repeat(86)}`;
      const cases = [body, `logout_token=${forged}`, '', 'logout_token=not-a-jwt'];
      for (const instance of instances) {
        for (const form of cases) {
          const response = await fetch(`${instance.url}/backchannel-logout`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: form,
          });
          assert.equal(response.status, 400);
          assert.equal(response.headers.get('cache-control'), 'no-store');
          const error = (await response.json()) as { error: string; error_description: string };
          assert.equal(error.error, 'invalid_request');
          assert.ok(!error.error_description.includes(token.slice(0, 20)), 'no token echoed');
        }
      }
    });

    options.extra?.({
      get lb() {
        return lb;
      },
      get idp() {
        return idp;
      },
      instances: () => instances,
      restart,
      signIn,
      at,
    });
  });
}

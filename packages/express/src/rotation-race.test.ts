/**
 * Cookie mode, strict rotation: during one burst the browser gets cookies carrying different
 * refresh tokens and keeps whichever arrives last. A slow page loads the session before another
 * request rotates the refresh token and writes its cookie after it (the adversarial order); the
 * cookie it writes must carry the newest tokens, or the next refresh — on another instance, with
 * no memory of the rotation — replays the spent token and the provider revokes the grant.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { demo, HeadlessUser } from '@logto-kit/dev-server';
import {
  type DevServerProcess,
  type Instance,
  startDevServerProcess,
  startInstance,
} from '@logto-kit/testing/app-instances';
import { type LoadBalancer, startLoadBalancer } from '@logto-kit/testing/load-balancer';

const accessTokenTtl = 2;
const secret = 'a-rotation-race-test-session-secret-0123456789-abcdef';

/** A browser's cookie jar reduced to its rule that matters here: the last Set-Cookie wins. */
class LastWinsJar {
  readonly #cookies = new Map<string, string>();
  constructor(header: string) {
    for (const pair of header.split('; ').filter(Boolean)) {
      const eq = pair.indexOf('=');
      this.#cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  get header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  receive(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
}

describe('Express, cookie mode: a rotation race in one burst', () => {
  let lb: LoadBalancer;
  let idp: DevServerProcess;
  let instances: Instance[] = [];

  before(async () => {
    lb = await startLoadBalancer();
    idp = await startDevServerProcess({ appBaseUrl: lb.url, accessTokenTtl });
    const settings = {
      baseUrl: lb.url,
      endpoint: idp.endpoint,
      appId: demo.appId,
      appSecret: demo.appSecret,
      secret,
      refreshLock: false,
      touchInterval: 1,
    };
    instances = await Promise.all([startInstance(settings), startInstance(settings)]);
    lb.route([instances[0]!.port]);
  });
  after(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await idp?.stop();
    await lb?.close();
  });

  it('writes the newest tokens in a response that loaded the session before the rotation', async () => {
    const user = new HeadlessUser({ username: demo.username, password: demo.password });
    assert.equal((await user.visit(`${lb.url}/sign-in`)).url, `${lb.url}/`);
    const jar = new LastWinsJar(user.cookieHeader(lb.url));
    const [first, second] = instances as [Instance, Instance];
    const send = (instance: Instance, path: string, cookie = jar.header) =>
      fetch(`${instance.url}${path}`, { headers: { cookie } });
    await sleep((accessTokenTtl + 0.5) * 1000); // the access token expired, a touch is due

    const burst = jar.header;
    const slow = send(first, '/slow?ms=1500', burst); // loads the session, answers later
    await sleep(200);
    const refreshed = await send(first, '/api/token', burst); // rotates the refresh token
    assert.equal(refreshed.status, 200);
    jar.receive(refreshed);
    const late = await slow;
    assert.equal(late.status, 200);
    assert.ok(late.headers.getSetCookie().length > 0, 'the slow page rewrote the session');
    jar.receive(late); // arrives last: the browser keeps this one

    // Another instance has no memory of the rotation: it refreshes with what the cookie holds.
    const elsewhere = await send(second, '/api/token');
    assert.equal(elsewhere.status, 200, 'the cookie kept carries the newest refresh token');
    jar.receive(elsewhere);
    await elsewhere.body?.cancel();
    await late.body?.cancel();
  });
});

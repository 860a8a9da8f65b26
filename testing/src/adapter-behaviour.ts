// The behaviour every web adapter (Express, Hono, …) must show, as one suite each adapter's test
// runs with its own app. The adapter builds the same small app from the options the suite gives:
//   GET /                    public: 'home'
//   GET /whoami              public, reads the session: { signedIn }
//   GET /whoami-private      the same, with its own `Cache-Control: private, max-age=60`
//   GET /protected           authenticated({ shouldRedirect: true }) → the user as JSON
//   GET /api/me              authenticated() → { sub }
//   GET /api/token           authenticated() → the access token claims of demo.resource
//   GET /api/provider-down   throws a ProviderUnavailableError, for the adapter's error handler
//   GET /api/organization/:id  authenticated() → the organization token's claims
// and mounts `logtoErrorHandler()`. The failure rows (adapter-failures.ts) run inside it. An
// adapter declares what its framework cannot do (`cannot`, adapter-limits.ts): the rows that need
// it are skipped, with the reason as the skip message.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type LogtoWebOptions, MemorySessionStore } from '@logto-kit/core';
import {
  type Session,
  type SessionStoreSetOptions,
  SessionStoreUnavailableError,
} from '@logto-kit/core/store';
import {
  type DevServer,
  defaultSeed,
  demo,
  HeadlessUser,
  startDevServer,
} from '@logto-kit/dev-server';
import { describeAdapterFailures } from './adapter-failures.js';
import { type AdapterLimits, unless } from './adapter-limits.js';

export type { AdapterLimits } from './adapter-limits.js';

// biome-ignore lint/suspicious/noExplicitAny: each adapter narrows the framework request type
export type AnyWebOptions = LogtoWebOptions<any>;

/** An adapter's suite app, served at `baseUrl`. */
export interface ServedApp {
  readonly baseUrl: string;
  /** (Re)builds the suite app with these options; later requests reach the new app. */
  mount(options: AnyWebOptions): void;
  /** Reaches the app (and anything else over the network). */
  readonly fetch: typeof fetch;
  close(): Promise<void>;
}

export interface AdapterUnderTest {
  readonly name: string;
  serve(): Promise<ServedApp>;
  /** A `signInOptionsFor` that reads `loginHint` from the `hint` query parameter of the framework's request. */
  readonly loginHintFromQuery: AnyWebOptions['signInOptionsFor'];
  /** What the adapter cannot do, with the reason; the rows that need it are skipped with it. */
  readonly cannot?: AdapterLimits;
}

export const suiteSecret = 'a-behaviour-suite-session-secret-0123456789';

/** A store that can be switched off, as Redis going down, or refuse writes only. */
export class SwitchableStore extends MemorySessionStore {
  mode: 'up' | 'down' | 'read-only' = 'up';
  override get(id: string): Session | undefined {
    if (this.mode === 'down') throw new SessionStoreUnavailableError();
    return super.get(id);
  }
  override set(id: string, session: Session, options: SessionStoreSetOptions): void {
    if (this.mode !== 'up') throw new SessionStoreUnavailableError();
    super.set(id, session, options);
  }
}

const setCookieNames = (response: Response): string[] =>
  response.headers.getSetCookie().map((cookie) => cookie.slice(0, cookie.indexOf('=')));

export function describeAdapterBehaviour(adapter: AdapterUnderTest): void {
  describe(`${adapter.name}: the web adapter contract`, () => {
    let served: ServedApp;
    let idp: DevServer;
    const user = () =>
      new HeadlessUser({ username: demo.username, password: demo.password }, served.fetch);
    const options = (overrides: Partial<AnyWebOptions> = {}): AnyWebOptions => ({
      endpoint: idp.endpoint,
      appId: demo.appId,
      appSecret: demo.appSecret,
      baseUrl: served.baseUrl,
      scopes: ['email', 'read'],
      resources: [demo.resource],
      session: { secret: suiteSecret },
      ...overrides,
    });
    const get = (path: string, init: RequestInit = {}) =>
      served.fetch(`${served.baseUrl}${path}`, { redirect: 'manual', ...init });

    before(async () => {
      served = await adapter.serve();
      const seed = defaultSeed({ appBaseUrl: served.baseUrl });
      seed.applications?.[0]?.redirectUris?.push(`${served.baseUrl}/auth/callback`);
      idp = await startDevServer({ port: 0, quiet: true, seed });
    });
    after(async () => {
      await served?.close();
      await idp?.close();
    });

    it('leaves a public route alone: no session read, no Set-Cookie', async () => {
      served.mount(options());
      const response = await get('/');
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'home');
      assert.deepEqual(response.headers.getSetCookie(), []);
    });

    it('marks every response that read the session no-store, and only those', {
      skip: unless(adapter.cannot, 'markSessionReads'),
    }, async () => {
      served.mount(options());
      const browser = user();
      await browser.visit(`${served.baseUrl}/sign-in`);
      const whoami = await browser.request(`${served.baseUrl}/whoami`);
      assert.deepEqual(await whoami.json(), { signedIn: true });
      assert.equal(whoami.headers.get('cache-control'), 'no-store');
      assert.match(whoami.headers.get('vary') ?? '', /Cookie/);
      const home = await browser.request(`${served.baseUrl}/`);
      assert.equal(home.headers.get('cache-control'), null);
      // The app's own Cache-Control wins; Vary: Cookie is still added.
      const own = await browser.request(`${served.baseUrl}/whoami-private`);
      assert.deepEqual(await own.json(), { signedIn: true });
      assert.equal(own.headers.get('cache-control'), 'private, max-age=60');
      assert.match(own.headers.get('vary') ?? '', /Cookie/);
    });

    it('sends a signed-out page visitor to sign-in and back, never cached', async () => {
      served.mount(options());
      const response = await get('/protected?tab=1');
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('location'), '/sign-in?returnTo=%2Fprotected%3Ftab%3D1');
      assert.equal(response.headers.get('cache-control'), 'no-store');
    });

    it('answers a signed-out API call with 401 JSON and WWW-Authenticate', async () => {
      served.mount(options());
      const response = await get('/api/me');
      assert.equal(response.status, 401);
      assert.deepEqual(await response.json(), {
        error: 'not_authenticated',
        message: 'Please sign in to continue.',
      });
      assert.equal(
        response.headers.get('www-authenticate'),
        `Logto realm="${served.baseUrl}", sign_in_uri="/sign-in"`,
      );
    });

    it('signs in, serves the guarded page with no-store, and signs out', async () => {
      served.mount(options());
      const browser = user();
      const page = await browser.visit(`${served.baseUrl}/protected`);
      assert.equal(page.status, 200);
      assert.equal(JSON.parse(page.body).sub, 'demo-user-01');
      const again = await browser.request(`${served.baseUrl}/protected`);
      assert.equal(again.headers.get('cache-control'), 'no-store');
      assert.deepEqual(again.headers.getSetCookie(), [], 'an unchanged session writes nothing');
      const landing = await browser.visit(`${served.baseUrl}/sign-out`);
      assert.equal(landing.url, `${served.baseUrl}/`);
      assert.equal((await browser.request(`${served.baseUrl}/api/me`)).status, 401);
    });

    it('serves every auth route at its configured path, and only there', async () => {
      const routes = { signIn: '/login', callback: '/auth/callback', signOut: '/logout' };
      served.mount(options({ routes }));
      const signedOut = await get('/protected');
      assert.equal(signedOut.headers.get('location'), '/login?returnTo=%2Fprotected');
      assert.match(String((await get('/api/me')).headers.get('www-authenticate')), /"\/login"$/);
      const browser = user();
      const page = await browser.visit(`${served.baseUrl}/login?returnTo=/api/me`);
      assert.equal(page.status, 200);
      assert.equal(JSON.parse(page.body).sub, 'demo-user-01');
      assert.notEqual((await browser.request(`${served.baseUrl}/sign-in`)).status, 303);
      const landing = await browser.visit(`${served.baseUrl}/logout`);
      assert.equal(landing.url, `${served.baseUrl}/`);
    });

    it('links error pages to the configured sign-in route', async () => {
      served.mount(options({ routes: { signIn: '/login' } }));
      const stale = await get('/callback?code=c&state=a-state-never-started', {
        headers: { accept: 'text/html' },
      });
      assert.equal(stale.status, 400);
      assert.match(await stale.text(), /<a href="\/login">Sign in again<\/a>/);
    });

    it("links the page of an app route's provider failure to a retry, not to sign-in", async () => {
      served.mount(options({ routes: { signIn: '/login' } }));
      const down = await get('/api/provider-down', { headers: { accept: 'text/html' } });
      assert.equal(down.status, 503);
      const html = await down.text();
      assert.match(html, /<a href="">Try again<\/a>/);
      assert.doesNotMatch(html, /Sign in again/);
    });

    it('sends a callback opened again while signed in home, not to "sign in again"', async () => {
      served.mount(options());
      const browser = user();
      const start = await browser.visit(`${served.baseUrl}/sign-in`, {
        stopAt: (url) => url.pathname === '/callback',
      });
      const callback = new URL(start.url);
      assert.equal((await browser.request(callback)).status, 303);
      const again = await browser.request(callback, { headers: { accept: 'text/html' } });
      assert.equal(again.status, 303);
      assert.equal(again.headers.get('location'), '/');
      assert.equal((await browser.request(`${served.baseUrl}/api/me`)).status, 200);
      // Signed out, the same stale callback is a 400 "Sign-in expired".
      const stranger = user();
      const stale = await stranger.request(callback, { headers: { accept: 'text/html' } });
      assert.equal(stale.status, 400);
      assert.match(await stale.text(), /Sign-in expired/);
    });

    it('asks signInOptionsFor with the framework request, over signInOptions', async () => {
      served.mount(
        options({
          signInOptions: { loginHint: 'default@example.com', firstScreen: 'identifier:sign_in' },
          signInOptionsFor: adapter.loginHintFromQuery,
        }),
      );
      const hinted = new URL(
        String((await get('/sign-in?hint=ann@example.com')).headers.get('location')),
      );
      assert.equal(hinted.searchParams.get('login_hint'), 'ann@example.com');
      assert.equal(hinted.searchParams.get('first_screen'), 'identifier:sign_in');
      const signUp = new URL(
        String((await get('/sign-up?hint=bo@example.com')).headers.get('location')),
      );
      assert.equal(signUp.searchParams.get('login_hint'), 'bo@example.com');
      assert.equal(signUp.searchParams.get('first_screen'), 'register');
    });

    it('answers a refused code with 400 and keeps the current session', async () => {
      served.mount(options());
      const browser = user();
      await browser.visit(`${served.baseUrl}/sign-in`);
      const start = await browser.visit(`${served.baseUrl}/sign-in`, {
        stopAt: (url) => url.pathname === '/callback',
      });
      const forged = new URL(start.url);
      forged.searchParams.set('code', 'a-code-the-provider-never-issued');
      const refused = await browser.request(forged, { headers: { accept: 'text/html' } });
      assert.equal(refused.status, 400);
      assert.match(await refused.text(), /Sign-in failed/);
      assert.equal((await browser.request(`${served.baseUrl}/api/me`)).status, 200);
    });

    it('never signs out on HEAD (link prefetchers), and answers HEAD on sign-in', async () => {
      served.mount(options());
      const browser = user();
      await browser.visit(`${served.baseUrl}/sign-in`);
      const head = await browser.request(`${served.baseUrl}/sign-out`, { method: 'HEAD' });
      assert.notEqual(head.status, 303);
      assert.equal((await browser.request(`${served.baseUrl}/api/me`)).status, 200);
      const signIn = await get('/sign-in', { method: 'HEAD' });
      assert.equal(signIn.status, 303);
    });

    it('answers 503 instead of a success the session store did not save', async () => {
      const store = new SwitchableStore();
      served.mount(options({ session: { secret: suiteSecret, store } }));
      const browser = user();
      await browser.visit(`${served.baseUrl}/sign-in`);
      assert.equal((await browser.request(`${served.baseUrl}/api/me`)).status, 200);
      store.mode = 'down';
      const read = await browser.request(`${served.baseUrl}/api/me`);
      assert.equal(read.status, 503, 'a store that cannot be read is not a sign-out');
      store.mode = 'up';
      // The callback: the provider signs the user in, but the session cannot be written.
      const second = user();
      const start = await second.visit(`${served.baseUrl}/sign-in`, {
        stopAt: (url) => url.pathname === '/callback',
      });
      store.mode = 'read-only';
      const callback = await second.request(start.url);
      assert.equal(callback.status, 503);
      assert.equal(callback.headers.get('location'), null);
      assert.match(callback.headers.get('content-type') ?? '', /json/);
      store.mode = 'up';
    });

    it('saves a session that changed in an app route', async () => {
      const store = new SwitchableStore();
      served.mount(options({ session: { secret: suiteSecret, store } }));
      const browser = user();
      await browser.visit(`${served.baseUrl}/sign-in`);
      const first = await browser.request(`${served.baseUrl}/api/token`);
      assert.equal(first.status, 200);
      assert.equal(JSON.parse(await first.text()).aud, demo.resource);
      // The token was saved: the next call asks the provider nothing.
      idp.resetCounts();
      assert.equal((await browser.request(`${served.baseUrl}/api/token`)).status, 200);
      assert.equal(idp.requestCount('token'), 0);
    });

    it("answers 503 when the store refuses an app route's session write", async () => {
      const store = new SwitchableStore();
      served.mount(options({ session: { secret: suiteSecret, store } }));
      // A user's first token, with the store refusing the write.
      const other = user();
      await other.visit(`${served.baseUrl}/sign-in`);
      store.mode = 'read-only';
      const refused = await other.request(`${served.baseUrl}/api/token`);
      assert.equal(refused.status, 503);
      assert.equal((await refused.json()).error, 'session_store.unavailable');
      store.mode = 'up';
    });

    it('reads the back-channel logout body with a limit, and refuses cookie sessions', async () => {
      served.mount(options());
      const cookieSessions = await get('/backchannel-logout', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'logout_token=x',
      });
      assert.equal(cookieSessions.status, 400);
      assert.match((await cookieSessions.json()).error_description, /server-side sessions/);
      served.mount(options({ session: { secret: suiteSecret, store: new MemorySessionStore() } }));
      const huge = await get('/backchannel-logout', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `logout_token=${'a'.repeat(2 * 1024 * 1024)}`,
      });
      assert.equal(huge.status, 400);
      assert.deepEqual(setCookieNames(huge), []);
      // The rest of the upload was dropped, not left on the connection: the next requests (one
      // may reuse it) are answered at once.
      for (let i = 0; i < 3; i++) {
        const next = await get('/', { signal: AbortSignal.timeout(2000) });
        assert.equal(next.status, 200);
        await next.body?.cancel();
      }
    });

    it('reads at most 64 KB of a 600 MiB back-channel body, with flat memory', async () => {
      served.mount(options({ session: { secret: suiteSecret, store: new MemorySessionStore() } }));
      const total = 600 * 1024 * 1024;
      const chunk = new Uint8Array(1024 * 1024).fill(0x61);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= total) return controller.close();
          sent += chunk.byteLength;
          controller.enqueue(
            sent === chunk.byteLength ? new TextEncoder().encode('logto_token=') : chunk,
          );
        },
      });
      const rss = process.memoryUsage().rss;
      const started = Date.now();
      const response = await get('/backchannel-logout', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        duplex: 'half',
      } as RequestInit);
      assert.equal(response.status, 400);
      await response.body?.cancel();
      assert.ok(
        process.memoryUsage().rss - rss < 128 * 1024 * 1024,
        `resident memory grew by ${Math.round((process.memoryUsage().rss - rss) / 2 ** 20)} MiB`,
      );
      assert.ok(Date.now() - started < 30_000);
    });

    it('takes every documented option at once', async () => {
      const all: AnyWebOptions = options({
        appSecret: demo.appSecret,
        scopes: ['email', 'urn:logto:scope:organizations'],
        resources: [demo.resource],
        prompt: ['consent'],
        clientAuthMethod: 'client_secret_post',
        timeout: 5000,
        clockTolerance: 30,
        fetch: (input, init) => fetch(input, init),
        session: {
          secret: [suiteSecret, `${suiteSecret}-old`],
          store: new MemorySessionStore(),
          cookiePrefix: 'app',
          rolling: 3600,
          absolute: 86_400,
          touchInterval: 60,
          budget: { otherCookiesAllowance: 1024 },
        },
        routes: {
          signIn: '/login',
          signUp: '/register',
          callback: '/auth/callback',
          signOut: '/logout',
          backchannelLogout: '/bcl',
        },
        postLogoutRedirectUri: `${served.baseUrl}/`,
        signInOptions: {
          firstScreen: 'identifier:sign_in',
          identifiers: ['email'],
          extraParams: { ui_locales: 'en' },
        },
        signInOptionsFor: adapter.loginHintFromQuery,
        afterCallback: () => undefined,
        logger: { debug: () => undefined, warn: () => undefined },
        backchannelLogout: { maxAge: 120 },
      });
      served.mount(all);
      const browser = user();
      const page = await browser.visit(`${served.baseUrl}/login?returnTo=/api/me`);
      assert.equal(page.status, 200);
      assert.ok(browser.cookieNames(served.baseUrl).every((name) => name.startsWith('app')));
    });

    it('refuses bad options at start-up, naming every problem and unknown keys', () => {
      assert.throws(
        () =>
          served.mount({
            ...options(),
            baseUrl: 'localhost:3000',
            session: { secret: 'short' },
            routes: { callback: 'callback' },
            signInOptionsFor: 'nope',
            signInOptionFor: () => undefined,
          } as unknown as AnyWebOptions),
        (error: unknown) => {
          assert.ok(error instanceof TypeError);
          assert.match(error.message, /baseUrl: must be an absolute http\(s\) URL/);
          assert.match(error.message, /session\.secret/);
          assert.match(error.message, /routes\.callback: must be a path/);
          assert.match(error.message, /signInOptionsFor: must be a function/);
          assert.match(error.message, /unknown option "signInOptionFor"/);
          assert.doesNotMatch(error.message, /short/);
          return true;
        },
      );
    });

    describeAdapterFailures(adapter.name, {
      served: () => served,
      idp: () => idp,
      options,
    });
  });
}

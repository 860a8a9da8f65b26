/**
 * A headless user agent for tests and benchmarks: follows redirects across origins with a
 * cookie jar per origin, fills the dev server's sign-in form and confirms its sign-out page, so
 * a whole sign-in through an app can run without a browser.
 */

interface StoredCookie {
  value: string;
  path: string;
}

const maxHops = 25;

export interface Credentials {
  username: string;
  password: string;
}

/** Where a visit ended: the last response (not a redirect) and the URLs it went through. */
export interface Visit {
  url: string;
  status: number;
  body: string;
  headers: Headers;
  /** Every URL requested, in order. */
  trail: string[];
}

/** One origin's cookies; honours `Path`, `Max-Age=0` and past `Expires`. */
class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key = '', val = ''] = attribute.split('=').map((s) => s.trim());
        if (key.toLowerCase() === 'path') path = val || '/';
        if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
        if (key.toLowerCase() === 'expires' && Date.parse(val) <= Date.now()) expired = true;
      }
      const key = `${name}\u0000${path}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { value, path });
    }
  }

  header(url: URL): string {
    const parts: string[] = [];
    for (const [key, cookie] of this.#cookies) {
      const matches =
        url.pathname === cookie.path ||
        url.pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`);
      if (matches) parts.push(`${key.slice(0, key.indexOf('\u0000'))}=${cookie.value}`);
    }
    return parts.join('; ');
  }

  names(): string[] {
    return [...this.#cookies.keys()].map((key) => key.slice(0, key.indexOf('\u0000')));
  }
}

function hiddenInputs(html: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input\b[^>]*>/g)) {
    const tag = match[0];
    if (!/type="hidden"/.test(tag)) continue;
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    const value = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
    if (name) form.set(name, value);
  }
  return form;
}

const isSignInForm = (html: string): boolean =>
  html.includes('logto-dev') && /<form method="post" action="\/sign-in"/.test(html);
const logoutFormAction = (html: string): string | undefined =>
  /<form\b[^>]*id="op\.logoutForm"[^>]*action="([^"]+)"|<form\b[^>]*action="([^"]+)"[^>]*id="op\.logoutForm"/
    .exec(html)
    ?.slice(1)
    .find(Boolean);

/**
 * A user with a browser's memory: cookies per origin, kept across visits, so signing out
 * really ends the provider session and an app's session cookie is sent back to it.
 *
 * @example
 * const user = new HeadlessUser({ username: 'demo', password: 'demo-password' });
 * const page = await user.visit('http://localhost:3000/sign-in'); // ends on the app's page
 */
export class HeadlessUser {
  readonly #jars = new Map<string, CookieJar>();

  constructor(
    private readonly credentials: Credentials,
    private readonly fetchImpl: typeof fetch = globalThis.fetch,
  ) {}

  #jar(url: URL): CookieJar {
    let jar = this.#jars.get(url.origin);
    if (!jar) {
      jar = new CookieJar();
      this.#jars.set(url.origin, jar);
    }
    return jar;
  }

  /** The `Cookie` header this user would send to a URL. */
  cookieHeader(url: string | URL): string {
    const target = new URL(url);
    return this.#jar(target).header(target);
  }

  /** Names of the cookies this user holds for an origin. */
  cookieNames(url: string | URL): string[] {
    return this.#jar(new URL(url)).names();
  }

  /** One request, no redirect following; cookies are sent and stored. */
  async request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.#jar(target).header(target);
    if (cookie) headers.set('cookie', cookie);
    const response = await this.fetchImpl(target, { ...init, headers, redirect: 'manual' });
    this.#jar(target).store(response);
    return response;
  }

  #post(url: URL, form: URLSearchParams): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
  }

  /**
   * Opens a URL like a person: follows redirects on any origin, signs in on the dev server's
   * page and confirms its sign-out page. Stops at the first response that is not a redirect,
   * or, with `stopAt`, before requesting a URL for which `stopAt` returns true.
   */
  async visit(url: string | URL, options: { stopAt?: (url: URL) => boolean } = {}): Promise<Visit> {
    let current = new URL(url);
    const trail: string[] = [];
    let submitted = false;
    for (let hop = 0; hop < maxHops; hop++) {
      if (options.stopAt?.(current)) {
        return { url: current.href, status: 0, body: '', headers: new Headers(), trail };
      }
      trail.push(current.href);
      let response = await this.request(current);
      if (response.status === 200) {
        const body = await response.text();
        const logoutAction = logoutFormAction(body);
        if (isSignInForm(body) && !submitted) {
          submitted = true;
          response = await this.#post(current, new URLSearchParams({ ...this.credentials }));
          if (response.status === 401) {
            await response.body?.cancel();
            throw new Error('Sign-in failed: the username or password is incorrect.');
          }
        } else if (logoutAction) {
          const form = hiddenInputs(body);
          form.set('logout', 'yes');
          const target = new URL(logoutAction.replaceAll('&amp;', '&'), current);
          response = await this.#post(target, form);
          current = target;
        } else {
          return { url: current.href, status: 200, body, headers: response.headers, trail };
        }
      }
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        const body = await response.text();
        return {
          url: current.href,
          status: response.status,
          body,
          headers: response.headers,
          trail,
        };
      }
      await response.body?.cancel();
      current = new URL(location, current);
    }
    throw new Error('Too many redirects.');
  }

  /**
   * Follows an authorization URL through sign-in and consent until the provider redirects to
   * another origin (the app's callback), and returns that URL with `code`, `state` and `iss`
   * — or `error` when the provider refused. The callback itself is not requested.
   */
  async signIn(authorizationUrl: string): Promise<string> {
    const origin = new URL(authorizationUrl).origin;
    const visit = await this.visit(authorizationUrl, { stopAt: (url) => url.origin !== origin });
    if (visit.status !== 0) {
      throw new Error(
        `Sign-in stopped at ${new URL(visit.url).pathname} with HTTP ${visit.status}.`,
      );
    }
    return visit.url;
  }

  /**
   * Follows an end-session URL and confirms it as Logto's page does by itself. Returns where
   * the provider finally redirected (the post-logout redirect URI or its success page).
   */
  async signOut(endSessionUrl: string): Promise<string> {
    const origin = new URL(endSessionUrl).origin;
    const visit = await this.visit(endSessionUrl, { stopAt: (url) => url.origin !== origin });
    if (visit.status === 0) return visit.url;
    if (visit.status === 200) return visit.url; // the provider's own "signed out" page
    throw new Error(`Sign-out failed with HTTP ${visit.status}.`);
  }
}

/**
 * Completes a sign-in at the dev server without a browser and returns the callback URL.
 *
 * @example
 * const callbackUrl = await completeSignIn(authorizationUrl, { username: 'demo', password: 'demo-password' });
 * await client.handleSignInCallback(callbackUrl);
 */
export function completeSignIn(
  authorizationUrl: string,
  credentials: Credentials,
): Promise<string> {
  return new HeadlessUser(credentials).signIn(authorizationUrl);
}

/**
 * Confirms an end-session URL at the dev server without a browser; returns the final redirect.
 *
 * @example
 * const landing = await completeSignOut(await client.signOut('http://localhost:3000/'));
 */
export function completeSignOut(endSessionUrl: string): Promise<string> {
  return new HeadlessUser({ username: '', password: '' }).signOut(endSessionUrl);
}

/**
 * A headless user agent for tests: follows the dev server's redirects with a cookie jar and
 * fills its sign-in form, so a sign-in can be completed without a browser.
 */

interface StoredCookie {
  value: string;
  path: string;
}

const maxHops = 20;

export interface Credentials {
  username: string;
  password: string;
}

/** A cookie jar scoped to one origin (the dev server's); honours cookie paths and deletions. */
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

/**
 * A user agent for the dev server, keeping its cookies between sign-in and sign-out (so
 * signing out really ends the provider session, as in a browser).
 *
 * @example
 * const agent = new HeadlessUser({ username: 'demo', password: 'demo-password' });
 * const callbackUrl = await agent.signIn(await client.signIn({ redirectUri }));
 */
export class HeadlessUser {
  readonly #jar = new CookieJar();

  constructor(
    private readonly credentials: Credentials,
    private readonly fetchImpl: typeof fetch = globalThis.fetch,
  ) {}

  async #request(url: URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.#jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await this.fetchImpl(url, { ...init, headers, redirect: 'manual' });
    this.#jar.store(response);
    return response;
  }

  /**
   * Follows an authorization URL through the sign-in form and consent until the provider
   * redirects to another origin (the app's callback). Returns that URL, which carries `code`,
   * `state` and `iss` — or `error` when the provider refused.
   */
  async signIn(authorizationUrl: string): Promise<string> {
    let url = new URL(authorizationUrl);
    const origin = url.origin;
    let submitted = false;
    for (let hop = 0; hop < maxHops; hop++) {
      let response = await this.#request(url);
      if (response.status === 200 && url.pathname === '/sign-in' && !submitted) {
        await response.body?.cancel();
        submitted = true;
        const form = new URLSearchParams(this.credentials as unknown as Record<string, string>);
        response = await this.#request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
        });
        if (response.status === 401) {
          await response.body?.cancel();
          throw new Error('Sign-in failed: the username or password is incorrect.');
        }
      }
      const location = response.headers.get('location');
      await response.body?.cancel();
      if (response.status < 300 || response.status >= 400 || !location) {
        throw new Error(`Sign-in stopped at ${url.pathname} with HTTP ${response.status}.`);
      }
      url = new URL(location, url);
      if (url.origin !== origin) return url.href;
    }
    throw new Error('Sign-in did not finish: too many redirects.');
  }

  /**
   * Follows an end-session URL and confirms it as Logto's page does by itself. Returns where
   * the provider finally redirected (the post-logout redirect URI or its success page).
   */
  async signOut(endSessionUrl: string): Promise<string> {
    const url = new URL(endSessionUrl);
    const page = await this.#request(url);
    const html = await page.text();
    if (page.status !== 200) throw new Error(`Sign-out failed with HTTP ${page.status}.`);
    const action = /<form\b[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error('Sign-out page has no confirmation form.');
    const form = hiddenInputs(html);
    form.set('logout', 'yes');
    const target = new URL(action.replaceAll('&amp;', '&'), url);
    const response = await this.#request(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (!location) throw new Error(`Sign-out confirmation answered HTTP ${response.status}.`);
    return new URL(location, target).href;
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

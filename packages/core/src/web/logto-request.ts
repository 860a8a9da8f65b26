/**
 * One request's view of the web integration: the user's client bound to the session, the auth
 * routes, the guard's decision, error → response, and the cookies to send back.
 *
 * @module
 */
import type { IdTokenClaims, UserInfo } from '../claims.js';
import { LogtoClient } from '../client.js';
import { logtoErrorCodes } from '../errors/codes.js';
import {
  type AnyLogtoError,
  isLogtoError,
  NotAuthorizedError,
  SignOutIncompleteError,
} from '../errors.js';
import { reportMisconfiguration } from '../lib/diagnostics.js';
import { catchUpRotation } from '../refresh/catch-up.js';
import type { LoadedSession } from '../session/session-manager.js';
import { FirstScreen } from '../sign-in.js';
import { provenClaims } from '../signed-in.js';
import { runAfterCallback } from './after-callback.js';
import { asksAuthorization, isAuthorized } from './authorize.js';
import { backchannelLogout } from './backchannel-logout.js';
import type { Action, WebContext } from './context.js';
import { endsSession } from './error-redirect.js';
import { type CodedErrorResponse, errorPage, errorResponse } from './error-response.js';
import type { WebSignInOptions } from './options.js';
import { type RefreshAheadOptions, refreshAhead } from './refresh-ahead.js';
import { refreshRoute } from './refresh-route.js';
import { RequestStorage } from './request-storage.js';
import type { Finish, GuardOptions, GuardResult, WebRequestInit } from './request-types.js';
import { safeReturnTo } from './return-to.js';
import { matchAction, pathAndQuery } from './routes.js';
import { htmlResponse, jsonResponse, redirectTo, type WebResponse } from './web-response.js';

interface TransactionEnvelope {
  state: string;
  signIn: unknown;
  returnTo?: string;
}

/** A response that read the session depends on it: stored by no browser and no shared cache. */
const sessionDependent = Object.freeze({ 'cache-control': 'no-store', vary: 'Cookie' });
const independent = Object.freeze({});

/**
 * One request's view, opened by {@link LogtoWeb.request}: its {@link LogtoClient} (bound to the
 * session), the auth routes, the guard, and the cookies to send back.
 */
export class LogtoRequest {
  readonly #context: WebContext;
  readonly #init: WebRequestInit<unknown>;
  #storage: RequestStorage | undefined;
  #client: LogtoClient | undefined;
  #loaded: Promise<LoadedSession> | undefined;
  /** The loaded session, once {@link LogtoRequest.#load} has finished. */
  #resolved: LoadedSession | undefined;
  #url: URL | undefined;
  readonly #cookies: string[] = [];
  /** `'keep'` leaves the session cookie as it came (a failed callback stores nothing). */
  #session: 'commit' | 'destroy' | 'keep' = 'commit';
  #finished = false;

  /** @internal Opened by {@link LogtoWeb.request}. */
  constructor(context: WebContext, init: WebRequestInit<unknown>) {
    this.#context = context;
    this.#init = init;
  }

  /** The client's storage: the session, loaded on first use (most requests never need it). */
  get #sessionStorage(): RequestStorage {
    this.#storage ??= new RequestStorage(
      async () => (await this.#load()).storage,
      {},
      this.#context.options.session.store === undefined ? this.#init.cookiesReadOnly : undefined,
    );
    return this.#storage;
  }

  /** The user's {@link LogtoClient}, bound to this request's session. */
  get client(): LogtoClient {
    this.#client ??= new LogtoClient(this.#context.config, { storage: this.#sessionStorage });
    return this.#client;
  }

  /** The request's URL on the configured base URL (parsed on first use). */
  get url(): URL {
    this.#url ??= new URL(this.#context.base + pathAndQuery(this.#init.target));
    return this.#url;
  }

  #load(): Promise<LoadedSession> {
    this.#loaded ??= this.#context.sessions.load(this.#init.cookie).then(async (loaded) => {
      // A session still carrying a refresh token this process rotated gets the newest tokens.
      await catchUpRotation(this.#context.config, loaded.storage);
      this.#resolved = loaded;
      return loaded;
    });
    return this.#loaded;
  }

  /**
   * The auth route this request is for, handled: a redirect, or an error page (400 for a bad
   * or stale callback, 403 for a refused user, 500 for a misconfiguration or a failed
   * `afterCallback`, 502/503/504 when the provider fails). `undefined` when the request is the
   * app's. Rejects only for what is not a `LogtoError` (a bug in core), for the framework's
   * error path.
   *
   * @example
   * ```ts
   * const routed = request.route();
   * if (!routed) return next();
   * send(await routed);
   * ```
   */
  route(): Promise<WebResponse> | undefined {
    const action = matchAction(this.#context.actions, this.#init.method, this.#init.target);
    return action && this.#run(action);
  }

  async #run(action: Action): Promise<WebResponse> {
    try {
      switch (action) {
        case 'signIn':
          return redirectTo((await this.signIn(this.#signInOptions())).location);
        case 'signUp':
          return redirectTo(
            (await this.signIn({ ...this.#signInOptions(), firstScreen: FirstScreen.Register }))
              .location,
          );
        case 'callback':
          return redirectTo((await this.handleCallback()).location);
        case 'signOut':
          return redirectTo((await this.signOut()).location);
        case 'backchannelLogout':
          // Server to server: no session of the caller is read or written.
          this.#session = 'keep';
          return await backchannelLogout(this.#context, this.#init.body?.(this.#init.native));
        case 'refresh':
          return await refreshRoute(this, this.#context);
      }
    } catch (error) {
      this.#context.logger.debug('logto: auth route failed', {
        path: this.#context.routes[action],
        code: isLogtoError(error) ? error.code : 'unexpected',
      });
      // A failed auth route renders its page and keeps the current session as it was.
      const response = this.renderError(error);
      if (!response) throw error;
      return response;
    }
  }

  /** Per-request sign-in options: the app's defaults, `signInOptionsFor`, then `?returnTo=`. */
  #signInOptions(): WebSignInOptions & { returnTo?: string | null } {
    const { signInOptionsFor } = this.#context;
    const perRequest = signInOptionsFor?.(this.#init.native) as WebSignInOptions | undefined;
    return { ...perRequest, returnTo: this.url.searchParams.get('returnTo') };
  }

  /** Whether a user is signed in (no network while the ID token is valid). */
  async isAuthenticated(): Promise<boolean> {
    return (await this.signedInClaims()) !== undefined;
  }

  /**
   * The signed-in user's ID token claims, or `undefined` when nobody is signed in. While the ID
   * token is valid they are read straight from the session (no network, one decode); once it
   * has expired the session is proven with a refresh first, and a refresh the provider refuses
   * ends the session here. Provider outages are thrown.
   *
   * @example
   * ```ts
   * const claims = await request.signedInClaims();
   * ```
   */
  async signedInClaims(): Promise<IdTokenClaims | undefined> {
    try {
      return await provenClaims(this.#context.config, this.#sessionStorage);
    } catch (error) {
      if (!isLogtoError(error) || !endsSession(error.code)) throw error;
      await this.forget();
      return undefined;
    }
  }

  /**
   * The ID token claims (no network), or the userinfo with `fetchUserInfo`; `undefined` when
   * nobody is signed in. A session the provider no longer accepts (its refresh token refused)
   * or that has no tokens left is ended here and reads as signed out. Provider outages and
   * other errors are thrown.
   *
   * @example
   * ```ts
   * const user = await request.user({ fetchUserInfo: true });
   * ```
   */
  async user(options: GuardOptions = {}): Promise<IdTokenClaims | UserInfo | undefined> {
    const claims = await this.signedInClaims();
    if (!claims || !options.fetchUserInfo) return claims;
    try {
      return await this.client.fetchUserInfo();
    } catch (error) {
      if (!isLogtoError(error) || !endsSession(error.code)) throw error;
      await this.forget();
      return undefined;
    }
  }

  /**
   * Refreshes ahead of expiry the ID token and each cached access token due (within `seconds`
   * of expiry, or a quarter of its lifetime when shorter), and with `prefetch` gets the
   * configured tokens the session lacks, so a later step that cannot write cookies (a Next.js
   * Server Component) finds them fresh; {@link LogtoRequest.finish} then writes the session. A
   * refresh the provider refuses ends the session here (0 grants); an outage is thrown. Returns
   * the number of grants.
   *
   * @example
   * ```ts
   * await request.refreshAhead(30, { prefetch: true });
   * const { cookies } = await request.finish(200);
   * ```
   */
  async refreshAhead(seconds: number, options?: RefreshAheadOptions): Promise<number> {
    try {
      return await refreshAhead(this.#context.config, this.#sessionStorage, seconds, options);
    } catch (error) {
      if (!(await this.endSessionIfRejected(error))) throw error;
      return 0;
    }
  }

  /**
   * The guard's decision, as the seed's `@authenticated` decorator. Signed out: a 303 to sign-in
   * that comes back to this page (`shouldRedirect`, GET or HEAD), otherwise
   * `401 {"error":"not_authenticated","message":…}` with `WWW-Authenticate`. A provider failure
   * is its error page. Signed in: the user (the response then carries
   * {@link LogtoRequest.responseHeaders}).
   *
   * @example
   * ```ts
   * const result = await request.guard({ shouldRedirect: true });
   * if ('response' in result) return send(result.response);
   * req.user = result.user;
   * ```
   */
  async guard(options: GuardOptions = {}): Promise<GuardResult> {
    let user: IdTokenClaims | UserInfo | undefined;
    try {
      user = await this.user(options);
    } catch (error) {
      const response = await this.handleError(error);
      if (!response) throw error;
      return { response, error: error as AnyLogtoError };
    }
    if (user) return this.#authorize(user, options);
    const { method } = this.#init;
    if (options.shouldRedirect && (method === 'GET' || method === 'HEAD')) {
      const returnTo = encodeURIComponent(`${this.url.pathname}${this.url.search}`);
      return { response: redirectTo(`${this.#context.routes.signIn}?returnTo=${returnTo}`) };
    }
    const headers = { 'www-authenticate': this.#context.wwwAuthenticate };
    const body = { error: 'not_authenticated', message: logtoErrorCodes.not_authenticated.message };
    return { response: jsonResponse(401, body, headers) };
  }

  /** Signed in: the user when every rule of `options` passes, otherwise a 403 (never a redirect). */
  async #authorize(user: IdTokenClaims | UserInfo, options: GuardOptions): Promise<GuardResult> {
    if (!asksAuthorization(options)) return { user };
    try {
      if (await isAuthorized(user, options, this.client)) return { user };
      const error = new NotAuthorizedError();
      return { response: this.#render(errorResponse(error)), error };
    } catch (error) {
      const response = await this.handleError(error);
      if (!response) throw error;
      return { response, error: error as AnyLogtoError };
    }
  }

  /**
   * A `LogtoError` as the response to send: a page for browsers (`Accept: text/html`), JSON
   * `{"error": "<stable code>", "message"}` otherwise, linking to the configured sign-in route. A
   * misconfiguration (500) is logged once, so its page's "see the server log" holds. `undefined`
   * for anything else (a bug: the framework's error path). Ends nothing: see
   * {@link LogtoRequest.handleError}.
   *
   * @example
   * ```ts
   * const response = request.renderError(error);
   * ```
   */
  renderError(error: unknown): WebResponse | undefined {
    if (!isLogtoError(error)) return undefined;
    reportMisconfiguration(this.#context.config, error);
    return this.#render(errorResponse(error));
  }

  #render(mapped: CodedErrorResponse): WebResponse {
    if ((this.#init.accept ?? '').includes('text/html')) {
      return htmlResponse(mapped.status, errorPage(mapped, this.#context.routes.signIn));
    }
    return jsonResponse(mapped.status, { error: mapped.code, message: mapped.message });
  }

  /**
   * What an app's error handler answers for an error: a refresh token the provider refused ends
   * the session (so the "Session ended" page is true), then {@link LogtoRequest.renderError}.
   *
   * @example
   * ```ts
   * const response = await request.handleError(error);
   * if (!response) return next(error);
   * ```
   */
  async handleError(error: unknown): Promise<WebResponse | undefined> {
    await this.endSessionIfRejected(error);
    return this.renderError(error);
  }

  /**
   * Starts a sign-in: stores the transaction in its own cookie and returns the provider URL.
   * `returnTo` is kept only when it is on the app's own origin; the app's `signInOptions` are the
   * defaults.
   *
   * @example
   * ```ts
   * const { location } = await request.signIn({ loginHint: 'user@example.com' });
   * ```
   */
  async signIn(
    options: WebSignInOptions & { returnTo?: string | null | undefined } = {},
  ): Promise<{ location: string }> {
    const { returnTo, ...signInOptions } = options;
    const { baseUrl, logger, sessions, redirectUri } = this.#context;
    const target = safeReturnTo(returnTo, baseUrl);
    if (returnTo && !target) logger.debug('logto: ignored a returnTo on another origin');
    const location = await this.client.signIn({
      ...this.#context.options.signInOptions,
      ...signInOptions,
      redirectUri,
    });
    for (const [state, signIn] of this.#sessionStorage.startedSignIns()) {
      const envelope: TransactionEnvelope = { state, signIn, ...(target && { returnTo: target }) };
      this.#cookies.push(...(await sessions.writeTransaction(this.#init.cookie, envelope)));
    }
    logger.debug('logto: sign-in started', { returnTo: target ?? null });
    return { location };
  }

  /**
   * Completes a sign-in from this request's URL (the callback route). On success the session is
   * renewed (a new id in store mode) and the user goes back to where they were going. Failures
   * throw a `LogtoError` and store nothing: `afterCallback` refuses with a
   * `SignInRefusedError` (403); anything else it throws is logged and becomes an
   * `AfterCallbackError` (500).
   */
  async handleCallback(): Promise<{ location: string }> {
    const { sessions, config, options, logger } = this.#context;
    const state = this.url.searchParams.get('state') ?? '';
    const { transaction, clear } = await sessions.readTransaction<TransactionEnvelope>(
      this.#init.cookie,
      state,
    );
    this.#cookies.push(...clear);
    if (!transaction && (await this.isAuthenticated().catch(() => false))) {
      // A callback opened again while signed in (Back, a reload, a second tab): nothing to
      // finish, and "sign in again" would be wrong. Home, as the user is.
      logger.debug('logto: callback with no sign-in transaction while signed in');
      return { location: '/' };
    }
    const loaded = await this.#load();
    const storage = transaction
      ? new RequestStorage(async () => loaded.storage, { [state]: transaction.signIn })
      : this.#sessionStorage;
    const client = transaction ? new LogtoClient(config, { storage }) : this.client;
    // Nothing is saved unless the sign-in completes (a session ended just above stays ended).
    if (this.#session !== 'destroy') this.#session = 'keep';
    await client.handleSignInCallback(this.url);
    const { afterCallback } = options;
    if (afterCallback) await runAfterCallback(afterCallback, client, logger);
    this.#session = 'commit';
    loaded.storage.renew();
    logger.debug('logto: signed in', { returnTo: transaction?.returnTo ?? null });
    return { location: transaction?.returnTo ?? '/' };
  }

  /**
   * Signs out: revokes the refresh token at the provider (best effort), ends the session, and
   * returns the provider's end-session URL. The session here ends whatever the provider does:
   * when it cannot be reached, this throws a `SignOutIncompleteError` (a 503 page saying the
   * user is signed out of this app, and to sign out again later to end the provider's session).
   */
  async signOut(): Promise<{ location: string }> {
    try {
      const location = await this.client.signOut(this.#context.postLogoutRedirectUri);
      this.#context.logger.debug('logto: signed out');
      return { location };
    } catch (error) {
      if (!isLogtoError(error) || !error.code.startsWith('provider.')) throw error;
      throw new SignOutIncompleteError(undefined, { cause: error });
    } finally {
      (await this.#load()).storage.clear();
      this.#session = 'destroy';
    }
  }

  /** Forgets the user locally (no provider call). */
  async forget(): Promise<void> {
    (await this.#load()).storage.clear();
    this.#session = 'destroy';
    this.#context.logger.debug('logto: session ended locally');
  }

  /**
   * Ends the local session when an error means the provider no longer accepts it: a refresh
   * token it refused (`oauth.invalid_grant`). Returns whether the session was ended.
   */
  async endSessionIfRejected(error: unknown): Promise<boolean> {
    if (!isLogtoError(error) || error.code !== 'oauth.invalid_grant') return false;
    await this.forget();
    return true;
  }

  /**
   * Headers every response of this request must carry, set by the adapter where the app did not
   * set its own: `cache-control: no-store` and `vary: Cookie` once the session was read (the
   * response depends on who is signed in, so Back after sign-out must not show it from a
   * cache); none for a request that never read it. {@link LogtoRequest.applyResponseHeaders}
   * sets them.
   *
   * @example
   * ```ts
   * const noStore = request.responseHeaders()['cache-control'] === 'no-store';
   * ```
   */
  responseHeaders(): Readonly<Record<string, string>> {
    return this.#loaded ? sessionDependent : independent;
  }

  /**
   * Puts {@link LogtoRequest.responseHeaders} on `response`, each only where the app did not set
   * its own (an app's `Cache-Control` wins): the one rule every adapter applies at the end of a
   * response. `has` and `set` take the response, so an adapter passes module-level functions
   * and nothing is allocated per request.
   *
   * @example
   * ```ts
   * request.applyResponseHeaders(
   *   res,
   *   (r, name) => r.hasHeader(name),
   *   (r, name, value) => r.setHeader(name, value),
   * );
   * ```
   */
  applyResponseHeaders<R>(
    response: R,
    has: (response: R, name: string) => boolean,
    set: (response: R, name: string, value: string) => void,
  ): void {
    for (const [name, value] of Object.entries(this.responseHeaders())) {
      if (!has(response, name)) set(response, name, value);
    }
  }

  /**
   * Whether {@link LogtoRequest.finish} has anything to do. Synchronous: when it is false (the
   * usual protected request, or any request that never read the session) a response can be sent
   * at once.
   */
  needsCommit(): boolean {
    if (this.#finished) return false;
    if (this.#cookies.length > 0 || this.#session === 'destroy') return true;
    if (this.#session === 'keep' || !this.#loaded) return false;
    // Still loading: only the async commit can tell.
    return !this.#resolved || this.#context.sessions.needsCommit(this.#resolved);
  }

  /**
   * Ends the response whose status is `status`: the `Set-Cookie` values it needs (transaction
   * cookies, and the session's only when it changed, started, ended or is due for its rolling
   * renewal). When the session store fails, a response that claimed success (< 400) is replaced
   * by the 503 page: it must not say "done" for what was not saved; an error response keeps its
   * status. With `headersSent` (a response already streaming) the session is still saved where
   * it can be (a store) and a cookie that can no longer be sent is logged. Call once, just
   * before the response is sent; later calls return nothing.
   *
   * @example
   * ```ts
   * const { cookies, response } = await request.finish(res.statusCode);
   * ```
   */
  async finish(status: number, options: { headersSent?: boolean } = {}): Promise<Finish> {
    const needed = this.needsCommit();
    this.#finished = true;
    if (!needed) return { cookies: [] };
    const { logger } = this.#context;
    try {
      const cookies = [...this.#cookies, ...(await this.#commitSession())];
      if (!options.headersSent) return { cookies };
      if (cookies.length > 0)
        logger.warn('logto: the session changed after the response started; not saved');
      return { cookies: [] };
    } catch (error) {
      logger.warn('logto: could not save the session', {
        code: isLogtoError(error) ? error.code : 'unexpected',
      });
      // A store that fails with something else than a LogtoError is a bug: a plain 500.
      if (status >= 400 || options.headersSent) return { cookies: [] };
      return { cookies: [], response: this.#render(errorResponse(error)), error };
    }
  }

  async #commitSession(): Promise<string[]> {
    if (this.#session === 'keep' || !this.#loaded) return [];
    const loaded = await this.#loaded;
    const { sessions, config } = this.#context;
    if (this.#session === 'destroy') return sessions.destroy(loaded);
    // Another request may have rotated the refresh token since this one loaded the session.
    await catchUpRotation(config, loaded.storage);
    return sessions.commit(loaded);
  }
}

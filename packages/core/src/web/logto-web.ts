import type { IdTokenClaims, UserInfo } from '../claims.js';
import { LogtoClient } from '../client.js';
import { type LogtoClientConfig, type LogtoConfig, resolveConfig } from '../config.js';
import { isLogtoError } from '../errors.js';
import { signedInClaims } from '../id-token.js';
import type { LoadedSession } from '../session/session-manager.js';
import { SessionManager, type SessionManagerOptions } from '../session/session-manager.js';
import type { SignInOptions } from '../sign-in.js';
import {
  type BackchannelLogoutOptions,
  type BackchannelLogoutResponse,
  handleBackchannelLogout,
  MemoryReplayCache,
  type ReplayCache,
} from './backchannel-logout.js';
import { RequestStorage } from './request-storage.js';
import { safeReturnTo } from './return-to.js';

/** Debug lines saying what was decided; never a token, code or secret. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
}

/** Paths of the routes the integrations mount. */
export interface LogtoRoutes {
  signIn: string;
  signUp: string;
  callback: string;
  signOut: string;
  /** `POST` only: where the provider sends back-channel logout tokens (store sessions only). */
  backchannelLogout: string;
}

/** Per-sign-in options an app may pass (everything but the redirect URI, which is fixed). */
export type WebSignInOptions = Omit<SignInOptions, 'redirectUri'>;

/** Options of the web integrations (Express, Hono): the client's config plus the web parts. */
export interface LogtoWebOptions extends LogtoClientConfig {
  /** The app's public base URL, e.g. `https://app.example.com`. Redirect URIs derive from it, never from `Host`. */
  baseUrl: string;
  /** Session settings; `secret` (≥ 32 characters, or several for rotation) is required. */
  session: Omit<SessionManagerOptions, 'baseUrl'>;
  /**
   * Route paths; defaults `/sign-in`, `/sign-up`, `/callback`, `/sign-out`,
   * `/backchannel-logout`.
   */
  routes?: Partial<LogtoRoutes>;
  /** Where Logto sends the user after sign-out; default `${baseUrl}/`. Must be registered in Logto. */
  postLogoutRedirectUri?: string;
  /** Defaults for every sign-in (first screen, identifiers, …). */
  signInOptions?: WebSignInOptions;
  /**
   * Runs after a successful callback, before the session is saved: enrich or check. Throwing
   * refuses the sign-in (nothing is saved) and the error goes to the framework's error path.
   */
  afterCallback?: (context: { claims: IdTokenClaims; client: LogtoClient }) => void | Promise<void>;
  logger?: Logger;
  /**
   * The back-channel logout route. It can end sessions only with a `session.store` (cookie
   * sessions live in the browser and cannot be ended from the server).
   */
  backchannelLogout?: BackchannelLogoutOptions;
}

/** A redirect the integration sends (303/302) after writing {@link LogtoRequest.commit}'s cookies. */
export interface Redirect {
  location: string;
}

interface TransactionEnvelope {
  state: string;
  signIn: unknown;
  returnTo?: string;
}

const silent: Logger = { debug: () => {} };

function normalizePath(path: string, name: string): string {
  if (!path.startsWith('/') || path.startsWith('//')) {
    throw new TypeError(`routes.${name} must be a path starting with "/", got "${path}".`);
  }
  return path;
}

/**
 * The framework-free half of a web integration, created once per app: it owns the session
 * manager and the routes, and opens a {@link LogtoRequest} per request. Express and Hono
 * adapters only translate cookies in, cookies and redirects out.
 *
 * @example
 * ```ts
 * const web = new LogtoWeb({ endpoint, appId, appSecret, baseUrl: 'http://localhost:3000',
 *                            session: { secret: process.env.SESSION_SECRET! } });
 * const request = await web.open({ url: 'http://localhost:3000/protected', cookie: header });
 * if (await request.client.isAuthenticated()) { … }
 * const setCookies = await request.commit();
 * ```
 */
export class LogtoWeb {
  readonly baseUrl: URL;
  readonly routes: Readonly<LogtoRoutes>;
  readonly sessions: SessionManager;
  readonly logger: Logger;
  readonly #options: LogtoWebOptions;
  readonly #redirectUri: string;
  readonly #postLogoutRedirectUri: string;
  readonly #clientConfig: LogtoConfig;
  readonly #replayCache: ReplayCache;

  constructor(options: LogtoWebOptions) {
    if (!options || typeof options !== 'object') throw new TypeError('Logto options are required.');
    if (typeof options.baseUrl !== 'string' || !URL.canParse(options.baseUrl)) {
      throw new TypeError('baseUrl must be an absolute URL, e.g. "http://localhost:3000".');
    }
    this.baseUrl = new URL(options.baseUrl);
    if (!/^https?:$/.test(this.baseUrl.protocol)) throw new TypeError('baseUrl must be http(s).');
    if (!options.session?.secret) {
      throw new TypeError('session.secret is required (at least 32 random characters).');
    }
    const routes = {
      signIn: '/sign-in',
      signUp: '/sign-up',
      callback: '/callback',
      signOut: '/sign-out',
      backchannelLogout: '/backchannel-logout',
      ...options.routes,
    };
    for (const [name, path] of Object.entries(routes)) normalizePath(path, name);
    this.routes = Object.freeze(routes);
    const base = this.baseUrl.href.replace(/\/+$/, '');
    this.#redirectUri = `${base}${routes.callback}`;
    this.#postLogoutRedirectUri = options.postLogoutRedirectUri ?? `${base}/`;
    if (!URL.canParse(this.#postLogoutRedirectUri)) {
      throw new TypeError('postLogoutRedirectUri must be an absolute URL.');
    }
    this.sessions = new SessionManager({ ...options.session, baseUrl: this.baseUrl });
    this.logger = options.logger ?? silent;
    const {
      baseUrl: _b,
      session: _s,
      routes: _r,
      postLogoutRedirectUri: _p,
      signInOptions: _o,
      afterCallback: _a,
      logger: _l,
      backchannelLogout: _bl,
      ...clientConfig
    } = options;
    // Validated once: a TypeError at start-up, not on the first request.
    this.#clientConfig = resolveConfig(clientConfig);
    this.#options = options;
    this.#replayCache = options.backchannelLogout?.replayCache ?? new MemoryReplayCache();
  }

  /** Settings the requests read. */
  get options(): Readonly<LogtoWebOptions> {
    return this.#options;
  }

  get redirectUri(): string {
    return this.#redirectUri;
  }

  /**
   * The `WWW-Authenticate` value of a 401 for a signed-out API request: no standard scheme
   * fits a cookie session, so it names Logto, the app's origin and where to sign in.
   */
  get wwwAuthenticate(): string {
    return `Logto realm="${this.baseUrl.origin}", sign_in_uri="${this.routes.signIn}"`;
  }

  get postLogoutRedirectUri(): string {
    return this.#postLogoutRedirectUri;
  }

  /** The client config, validated once. */
  get clientConfig(): LogtoConfig {
    return this.#clientConfig;
  }

  /**
   * Handles a `POST` to the back-channel logout route: the request body
   * (`logout_token=…`, form-encoded) in, the response to send out. Verifies the logout token
   * (signature, `iss`, `aud`, `iat`, `events`, `sid`/`sub`, no `nonce`, `jti` replay) and ends
   * the provider session's stored sessions in every instance sharing the store. Never throws.
   *
   * @example
   * ```ts
   * const { status, headers, body } = await web.backchannelLogout(await request.text());
   * ```
   */
  backchannelLogout(form: string | URLSearchParams): Promise<BackchannelLogoutResponse> {
    return handleBackchannelLogout(this, form, this.#replayCache);
  }

  /**
   * One request's view. Nothing is read yet: the session cookie is decrypted (or the store
   * read) on first use. A tampered, expired or undecryptable cookie reads as "signed out" and
   * is cleared by {@link LogtoRequest.commit}; bad input never throws.
   */
  request(request: { url: string | URL; cookie?: string | null | undefined }): LogtoRequest {
    return new LogtoRequest(this, request.url, request.cookie ?? undefined);
  }
}

/**
 * One request's view: its {@link LogtoClient} (bound to the session), the auth actions, and
 * the cookies to send back.
 */
export class LogtoRequest {
  readonly #storage: RequestStorage;
  #client: LogtoClient | undefined;
  #loaded: Promise<LoadedSession> | undefined;
  /** The loaded session, once {@link LogtoRequest.#load} has finished. */
  #resolved: LoadedSession | undefined;
  #url: URL | undefined;
  readonly #cookies: string[] = [];
  /** `'keep'` leaves the session cookie as it came (a failed callback stores nothing). */
  #session: 'commit' | 'destroy' | 'keep' = 'commit';

  constructor(
    readonly web: LogtoWeb,
    private readonly rawUrl: string | URL,
    private readonly cookieHeader: string | undefined,
  ) {
    this.#storage = new RequestStorage(async () => (await this.#load()).storage);
  }

  /** The user's {@link LogtoClient}, bound to this request's session. */
  get client(): LogtoClient {
    this.#client ??= new LogtoClient(this.web.clientConfig, { storage: this.#storage });
    return this.#client;
  }

  /** The request's full URL (parsed on first use: most requests never need it). */
  get url(): URL {
    this.#url ??= new URL(this.rawUrl);
    return this.#url;
  }

  #load(): Promise<LoadedSession> {
    this.#loaded ??= this.web.sessions.load(this.cookieHeader).then((loaded) => {
      this.#resolved = loaded;
      return loaded;
    });
    return this.#loaded;
  }

  /** Whether a user is signed in (no network). */
  async isAuthenticated(): Promise<boolean> {
    return (await this.signedInClaims()) !== undefined;
  }

  /**
   * The signed-in user's ID token claims, or `undefined` when nobody is signed in — what a
   * guard needs, read straight from the session (no network, one decode).
   *
   * @example
   * const claims = await request.signedInClaims();
   * if (!claims) return redirectToSignIn();
   */
  async signedInClaims(): Promise<IdTokenClaims | undefined> {
    const { storage } = await this.#load();
    return signedInClaims(storage.get('idToken'), storage.get('refreshToken'));
  }

  /**
   * What a guard puts on the request: the ID token claims (no network), or the userinfo with
   * `fetchUserInfo`; `undefined` when nobody is signed in. A session the provider no longer
   * accepts (its refresh token refused) or that has no tokens left is ended here and reads as
   * signed out. Provider outages and other errors are thrown.
   *
   * @example
   * const user = await request.user({ fetchUserInfo: true });
   * if (!user) return redirectToSignIn();
   */
  async user(
    options: { fetchUserInfo?: boolean } = {},
  ): Promise<IdTokenClaims | UserInfo | undefined> {
    const claims = await this.signedInClaims();
    if (!claims || !options.fetchUserInfo) return claims;
    try {
      return await this.client.fetchUserInfo();
    } catch (error) {
      const ended =
        isLogtoError(error) &&
        (error.code === 'oauth.invalid_grant' || error.code === 'not_authenticated');
      if (!ended) throw error;
      await this.forget();
      return undefined;
    }
  }

  /**
   * Starts a sign-in: stores the transaction in its own cookie and returns the provider URL.
   * `returnTo` is kept only when it is on the app's own origin.
   */
  async signIn(options: WebSignInOptions & { returnTo?: string | null } = {}): Promise<Redirect> {
    const { returnTo, ...signInOptions } = options;
    const target = safeReturnTo(returnTo, this.web.baseUrl);
    if (returnTo && !target) this.web.logger.debug('logto: ignored a returnTo on another origin');
    const location = await this.client.signIn({
      ...this.web.options.signInOptions,
      ...signInOptions,
      redirectUri: this.web.redirectUri,
    });
    for (const [state, signIn] of this.#storage.startedSignIns()) {
      const envelope: TransactionEnvelope = {
        state,
        signIn,
        ...(target ? { returnTo: target } : {}),
      };
      this.#cookies.push(
        ...(await this.web.sessions.writeTransaction(this.cookieHeader, envelope)),
      );
    }
    this.web.logger.debug('logto: sign-in started', { returnTo: target ?? null });
    return { location };
  }

  /**
   * Completes a sign-in from this request's URL (the callback route). On success the session
   * is renewed (a new id in store mode) and the user goes back to where they were going.
   * Failures throw a `LogtoError` and store nothing.
   */
  async handleCallback(): Promise<Redirect> {
    const state = this.url.searchParams.get('state') ?? '';
    const { transaction, clear } = await this.web.sessions.readTransaction<TransactionEnvelope>(
      this.cookieHeader,
      state,
    );
    this.#cookies.push(...clear);
    const loaded = await this.#load();
    const storage = transaction
      ? new RequestStorage(async () => loaded.storage, { [state]: transaction.signIn })
      : this.#storage;
    const client = transaction ? new LogtoClient(this.web.clientConfig, { storage }) : this.client;
    this.#session = 'keep';
    await client.handleSignInCallback(this.url);
    const { afterCallback } = this.web.options;
    if (afterCallback) await afterCallback({ claims: await client.getIdTokenClaims(), client });
    this.#session = 'commit';
    loaded.storage.renew();
    this.web.logger.debug('logto: signed in', { returnTo: transaction?.returnTo ?? null });
    return { location: transaction?.returnTo ?? '/' };
  }

  /**
   * Signs out: revokes the refresh token at the provider (best effort), ends the session, and
   * returns the provider's end-session URL.
   */
  async signOut(): Promise<Redirect> {
    const location = await this.client.signOut(this.web.postLogoutRedirectUri);
    (await this.#load()).storage.clear();
    this.#session = 'destroy';
    this.web.logger.debug('logto: signed out');
    return { location };
  }

  /**
   * Forgets the user locally (no provider call): for a session whose refresh token the
   * provider no longer accepts.
   */
  async forget(): Promise<void> {
    (await this.#load()).storage.clear();
    this.#session = 'destroy';
    this.web.logger.debug('logto: session ended locally');
  }

  /**
   * Ends the local session when an error means the provider no longer accepts it: a refresh
   * token it refused (`oauth.invalid_grant`, e.g. revoked, expired, or its grant ended). The
   * adapters call this from their error handlers, so the "Session ended" page is true and the
   * next request is signed out. Returns whether the session was ended.
   *
   * @example
   * if (await request.endSessionIfRejected(error)) res.status(401);
   */
  async endSessionIfRejected(error: unknown): Promise<boolean> {
    if (!isLogtoError(error) || error.code !== 'oauth.invalid_grant') return false;
    await this.forget();
    return true;
  }

  /**
   * Whether {@link LogtoRequest.commit} has anything to write. Synchronous: when it is false
   * (the usual protected request, or any request that never read the session) a response can
   * be sent at once.
   *
   * @example
   * if (!request.needsCommit()) return send();
   */
  needsCommit(): boolean {
    if (this.#cookies.length > 0 || this.#session === 'destroy') return true;
    if (this.#session === 'keep' || !this.#loaded) return false;
    // Still loading: only the async commit can tell.
    return !this.#resolved || this.web.sessions.needsCommit(this.#resolved);
  }

  /**
   * Every `Set-Cookie` value this response needs: transaction cookies, and the session's only
   * when it changed, started, ended or is due for its rolling renewal. Call once, just before
   * the response is sent.
   */
  async commit(): Promise<string[]> {
    if (this.#session === 'keep' || !this.#loaded) return [...this.#cookies];
    const loaded = await this.#loaded;
    const session =
      this.#session === 'destroy'
        ? await this.web.sessions.destroy(loaded)
        : await this.web.sessions.commit(loaded);
    return [...this.#cookies, ...session];
  }
}

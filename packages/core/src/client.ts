/**
 * `LogtoClient`: the seed SDK's client, one user session at a time, over any {@link Storage}.
 *
 * @module
 */
import { decodeJwt } from 'jose';
import {
  type AcceptedCallback,
  checkCallback,
  exchangeCode,
  parseCallbackUrl,
} from './callback.js';
import {
  type AccessTokenClaims,
  accessTokenClaimsSchema,
  type IdTokenClaims,
  type UserInfo,
} from './claims.js';
import { type LogtoClientConfig, type LogtoConfig, resolveConfig } from './config.js';
import { fetchProviderMetadata, type ProviderMetadata } from './discovery.js';
import {
  AuthorizationError,
  InvalidGrantError,
  NotAuthenticatedError,
  OAuthError,
  OpaqueAccessTokenError,
  ProviderResponseError,
} from './errors.js';
import { decodeIdTokenClaims } from './id-token.js';
import { reportProviderFailure } from './lib/diagnostics.js';
import {
  addSignInTransaction,
  readSignInTransactions,
  removeSignInTransaction,
} from './lib/sign-in-transactions.js';
import { count, traced } from './lib/telemetry.js';
import { refreshCoordinator } from './refresh/coordinator.js';
import { refreshScope, refreshSessionToken } from './refresh/session-refresh.js';
import { revokeAtSignOut, revokeLater } from './revocation-retry.js';
import { buildOrganizationUrn } from './scopes.js';
import { createSignInRequest, type SignInOptions } from './sign-in.js';
import { buildSignOutUrl } from './sign-out.js';
import { provenClaims } from './signed-in.js';
import type { Storage } from './storage.js';
import { isFresh, readAccessTokenMap, resolveTokenTarget, touchCachedToken } from './tokens.js';
import { requestUserInfo } from './user-info.js';

/**
 * The second argument of `new LogtoClient()`.
 *
 * @example
 * ```ts
 * new LogtoClient(config, { storage: new MemoryStorage() });
 * ```
 */
export interface LogtoClientOptions {
  /** Where this user's tokens and sign-in transactions live. */
  storage: Storage;
}

/**
 * Options of {@link LogtoClient.getAccessToken}.
 *
 * @example
 * ```ts
 * await client.getAccessToken('https://api.example.com', { organizationId: 'org_1' });
 * ```
 */
export interface AccessTokenOptions {
  /** Get an organization-scoped token (`organization_id=`) for the resource. */
  organizationId?: string | undefined;
}

/**
 * Signs a user in to a server-rendered web app with Logto and gives their claims, userinfo and
 * access tokens. Create one per request (or per user session) with that session's storage;
 * discovery, keys and refreshes are shared across instances in the process.
 *
 * @example
 * ```ts
 * const client = new LogtoClient(
 *   { endpoint: 'https://tenant.logto.app', appId, appSecret, scopes: [UserInfoScope.Email] },
 *   { storage: new MemoryStorage() },
 * );
 * const url = await client.signIn({ redirectUri: 'http://localhost:3000/callback' });
 * // … the provider redirects back …
 * await client.handleSignInCallback(callbackUrl);
 * const claims = await client.getIdTokenClaims();
 * ```
 */
export class LogtoClient {
  /** The validated, frozen configuration. */
  readonly config: LogtoConfig;
  readonly #storage: Storage;

  constructor(config: LogtoClientConfig | LogtoConfig, options: LogtoClientOptions) {
    this.config = resolveConfig(config);
    const storage = options?.storage;
    if (
      typeof storage?.get !== 'function' ||
      typeof storage.set !== 'function' ||
      typeof storage.delete !== 'function'
    ) {
      throw new TypeError(
        'new LogtoClient(config, { storage }) needs a storage with get, set, delete.',
      );
    }
    this.#storage = storage;
  }

  /**
   * Starts a sign-in and returns the URL to redirect the user to. The current user's tokens
   * stay until a new sign-in completes; several sign-ins may be in flight (two tabs).
   *
   * @example
   * ```ts
   * res.redirect(await client.signIn({ redirectUri: 'http://localhost:3000/callback' }));
   * ```
   */
  async signIn(options: SignInOptions | string): Promise<string> {
    const signInOptions = typeof options === 'string' ? { redirectUri: options } : options;
    return traced('logto.sign_in', undefined, async () => {
      const metadata = await this.#metadata();
      const { url, state, transaction } = await createSignInRequest(
        metadata.authorization_endpoint,
        this.config,
        signInOptions,
      );
      // Sign-in transactions live under the seed SDK's key `signInSession`.
      const transactions = readSignInTransactions(await this.#storage.get('signInSession'));
      await this.#storage.set(
        'signInSession',
        JSON.stringify(addSignInTransaction(transactions, state, transaction)),
      );
      return url.href;
    });
  }

  /**
   * Completes a sign-in from the full callback URL. Every check runs before anything is
   * stored; a rejected callback leaves the current tokens untouched.
   *
   * @example
   * ```ts
   * await client.handleSignInCallback(new URL(req.originalUrl, 'http://localhost:3000'));
   * ```
   */
  async handleSignInCallback(callbackUrl: string | URL): Promise<void> {
    return traced('logto.callback', undefined, async () => {
      await this.#completeSignIn(callbackUrl);
      count('logto.sign_ins');
    });
  }

  async #completeSignIn(callbackUrl: string | URL): Promise<void> {
    const url = parseCallbackUrl(callbackUrl);
    const transactions = readSignInTransactions(await this.#storage.get('signInSession'));
    const state = url.searchParams.get('state');
    const metadata =
      state && Object.hasOwn(transactions, state) ? await this.#metadata() : undefined;
    let accepted: AcceptedCallback;
    try {
      accepted = checkCallback(
        url,
        transactions,
        this.config.issuer,
        metadata?.authorization_response_iss_parameter_supported === true,
      );
    } catch (error) {
      // The provider's own refusal (`?error=` of a sign-in in flight) is worth a log line; an
      // `?error=` on a URL that matches no sign-in is anyone's, and not logged.
      if (error instanceof AuthorizationError && metadata) {
        reportProviderFailure(this.config, 'callback', error, metadata?.authorization_endpoint);
      }
      throw error;
    }
    // The code is spent from here on, whatever happens: forget this sign-in.
    const remaining = removeSignInTransaction(
      readSignInTransactions(await this.#storage.get('signInSession')),
      accepted.state,
    );
    await this.#storage.set('signInSession', JSON.stringify(remaining));
    const tokens = await exchangeCode(this.config, metadata!, accepted);

    await this.#storage.set('idToken', tokens.idToken);
    if (tokens.refreshToken) await this.#storage.set('refreshToken', tokens.refreshToken);
    else await this.#storage.delete('refreshToken');
    await this.#storage.set(
      'accessTokenMap',
      JSON.stringify({
        '': {
          token: tokens.accessToken,
          expiresAt: tokens.accessTokenExpiresAt,
          issuedAt: tokens.accessTokenIssuedAt,
          scope: tokens.scope,
          lastUsedAt: Math.floor(Date.now() / 1000),
        },
      }),
    );
  }

  /**
   * Whether a user is signed in: a verified ID token is stored and has not expired (no
   * network), or it has expired and a refresh with the stored refresh token succeeds (which
   * renews it). A refresh the provider refuses reads as signed out; a provider that is down or
   * slow throws its `provider.*` error.
   *
   * @example
   * ```ts
   * if (!(await client.isAuthenticated())) return res.redirect('/sign-in');
   * ```
   */
  async isAuthenticated(): Promise<boolean> {
    try {
      return (await provenClaims(this.config, this.#storage)) !== undefined;
    } catch (error) {
      if (error instanceof InvalidGrantError || error instanceof NotAuthenticatedError) {
        return false;
      }
      throw error;
    }
  }

  /**
   * The stored ID token (a JWT), if any.
   *
   * @example
   * ```ts
   * const idToken = await client.getIdToken();
   * ```
   */
  async getIdToken(): Promise<string | undefined> {
    return (await this.#storage.get('idToken')) ?? undefined;
  }

  /**
   * The claims of the stored ID token (verified when it was stored). No network. Throws
   * {@link NotAuthenticatedError} when nobody is signed in.
   *
   * @example
   * ```ts
   * const { sub, name, email } = await client.getIdTokenClaims();
   * ```
   */
  async getIdTokenClaims(): Promise<IdTokenClaims> {
    const idToken = await this.#storage.get('idToken');
    if (!idToken) throw new NotAuthenticatedError();
    return decodeIdTokenClaims(idToken);
  }

  /**
   * The stored refresh token, if any.
   *
   * @example
   * ```ts
   * const refreshToken = await client.getRefreshToken();
   * ```
   */
  async getRefreshToken(): Promise<string | undefined> {
    return (await this.#storage.get('refreshToken')) ?? undefined;
  }

  /**
   * An access token: the default one (for userinfo) without a resource, an API-resource token,
   * or an organization-scoped API token with `organizationId`. Served from the cache until
   * shortly before it expires, then refreshed (one token request per refresh token in the whole
   * process, however many callers ask at once).
   *
   * @example
   * ```ts
   * const token = await client.getAccessToken('https://api.example.com');
   * const orgApiToken = await client.getAccessToken('https://api.example.com', {
   *   organizationId: 'org_1',
   * });
   * ```
   */
  async getAccessToken(resource?: string, options?: AccessTokenOptions): Promise<string> {
    const target = resolveTokenTarget(this.config, resource, options?.organizationId);
    const map = readAccessTokenMap(await this.#storage.get('accessTokenMap'));
    const cached = map[target.key];
    if (isFresh(cached)) {
      const touched = touchCachedToken(cached);
      if (touched) {
        await this.#storage.set(
          'accessTokenMap',
          JSON.stringify({ ...map, [target.key]: touched }),
        );
      }
      return cached.token;
    }
    return refreshSessionToken(this.config, this.#storage, target);
  }

  /**
   * The claims of a JWT access token (API resource or organization), decoded from a token this
   * client got from the token endpoint. The default token is opaque:
   * {@link OpaqueAccessTokenError}.
   *
   * @example
   * ```ts
   * const { scope } = await client.getAccessTokenClaims('https://api.example.com');
   * ```
   */
  async getAccessTokenClaims(
    resource?: string,
    options?: AccessTokenOptions,
  ): Promise<AccessTokenClaims> {
    const token = await this.getAccessToken(resource, options);
    let payload: unknown;
    try {
      payload = decodeJwt(token);
    } catch (error) {
      throw new OpaqueAccessTokenError(undefined, { cause: error });
    }
    const parsed = accessTokenClaimsSchema.safeParse(payload);
    if (!parsed.success) {
      throw new ProviderResponseError('The access token has invalid claims.', {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  /**
   * An organization token (`aud` = `urn:logto:organization:<id>`). Needs the organizations
   * scope in the config.
   *
   * @example
   * ```ts
   * const token = await client.getOrganizationToken(claims.organizations[0]);
   * ```
   */
  async getOrganizationToken(organizationId: string): Promise<string> {
    return this.getAccessToken(buildOrganizationUrn(checkOrganizationId(organizationId)));
  }

  /**
   * The claims of an organization token.
   *
   * @example
   * ```ts
   * const { scope } = await client.getOrganizationTokenClaims('org_1');
   * ```
   */
  async getOrganizationTokenClaims(organizationId: string): Promise<AccessTokenClaims> {
    return this.getAccessTokenClaims(buildOrganizationUrn(checkOrganizationId(organizationId)));
  }

  /**
   * The userinfo of the signed-in user (`custom_data`, `identities`, `organization_data`, …),
   * checked to be about the same `sub` as the ID token.
   *
   * @example
   * ```ts
   * const { custom_data } = await client.fetchUserInfo();
   * ```
   */
  async fetchUserInfo(): Promise<UserInfo> {
    const { sub } = await this.getIdTokenClaims();
    const metadata = await this.#metadata();
    const accessToken = await this.getAccessToken();
    try {
      return await requestUserInfo(this.config, metadata, accessToken, sub);
    } catch (error) {
      // A cached token the provider no longer accepts: drop it and try once with a fresh one.
      if (!(error instanceof OAuthError) || error.error !== 'invalid_token') throw error;
      const fresh = await refreshSessionToken(
        this.config,
        this.#storage,
        resolveTokenTarget(this.config),
      );
      return requestUserInfo(this.config, metadata, fresh, sub);
    }
  }

  /**
   * Signs the user out locally (forgets the tokens), revokes the refresh token at the provider
   * (a failure is logged at `error` and retried in the background for up to 60 minutes when it
   * may pass) and returns the end-session URL to redirect to.
   *
   * @example
   * ```ts
   * res.redirect(await client.signOut('http://localhost:3000/'));
   * ```
   */
  async signOut(postLogoutRedirectUri?: string): Promise<string> {
    if (postLogoutRedirectUri !== undefined && !URL.canParse(postLogoutRedirectUri)) {
      throw new TypeError('postLogoutRedirectUri must be an absolute URL.');
    }
    const idToken = (await this.#storage.get('idToken')) ?? undefined;
    const refreshToken = await this.#storage.get('refreshToken');
    await this.#storage.delete('idToken');
    await this.#storage.delete('refreshToken');
    await this.#storage.delete('accessTokenMap');

    // A copy of the session holding an older refresh token must not catch up with this one.
    if (refreshToken) await refreshCoordinator.forget(refreshScope(this.config), refreshToken);
    let metadata: ProviderMetadata;
    try {
      metadata = await this.#metadata();
    } catch (error) {
      // The session here is gone either way; the token is revoked once the provider answers.
      if (refreshToken) revokeLater(this.config, refreshToken, error);
      throw error;
    }
    // A failed revocation is logged at `error` and retried in the background (see
    // revocation-retry.ts): a copy of a cookie session keeps refreshing until it succeeds.
    if (refreshToken) await revokeAtSignOut(this.config, metadata, refreshToken);
    if (!metadata.end_session_endpoint) {
      throw new ProviderResponseError('The provider has no end_session_endpoint.');
    }
    return buildSignOutUrl(metadata.end_session_endpoint, {
      clientId: this.config.appId,
      idTokenHint: idToken,
      postLogoutRedirectUri,
    }).href;
  }

  #metadata(): Promise<ProviderMetadata> {
    return fetchProviderMetadata(this.config);
  }
}

function checkOrganizationId(organizationId: string): string {
  if (typeof organizationId !== 'string' || organizationId.length === 0) {
    throw new TypeError('An organization ID is a non-empty string.');
  }
  return organizationId;
}

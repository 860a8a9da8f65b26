import { fetchProviderMetadata } from '../discovery.js';
import { isLogtoError, LogoutTokenError } from '../errors.js';
import { LruCache } from '../lib/lru-cache.js';
import { LOGOUT_TOKEN_MAX_AGE, verifyLogoutToken } from '../logout-token.js';
import { errorResponse } from './error-response.js';
import type { LogtoWeb } from './logto-web.js';

/**
 * Remembers logout token ids (`jti`) so a token is processed once. Share one across instances
 * (e.g. `RedisReplayCache` from `@logto-kit/redis`) to refuse a replay at any of them.
 *
 * @example
 * ```ts
 * const cache: ReplayCache = new MemoryReplayCache();
 * await cache.remember('issuer\njti', now + 300); // true the first time, false after
 * ```
 */
export interface ReplayCache {
  /**
   * Records `key` until `expiresAt` (seconds since the epoch). Returns `true` when it was not
   * recorded yet, `false` for a replay.
   */
  remember(key: string, expiresAt: number): boolean | Promise<boolean>;
}

/**
 * A {@link ReplayCache} in this process's memory, bounded (the oldest entries go first).
 *
 * @example
 * ```ts
 * logto({ …, backchannelLogout: { replayCache: new MemoryReplayCache() } });
 * ```
 */
export class MemoryReplayCache implements ReplayCache {
  readonly #seen: LruCache<string, number>;

  constructor(options: { maxEntries?: number } = {}) {
    this.#seen = new LruCache(options.maxEntries ?? 10_000);
  }

  remember(key: string, expiresAt: number): boolean {
    const now = Math.floor(Date.now() / 1000);
    const until = this.#seen.get(key);
    if (until !== undefined && until > now) return false;
    this.#seen.set(key, expiresAt);
    return true;
  }
}

/**
 * Options of the back-channel logout route.
 *
 * @example
 * ```ts
 * const options: BackchannelLogoutOptions = { maxAge: 120, replayCache: new MemoryReplayCache() };
 * ```
 */
export interface BackchannelLogoutOptions {
  /** The oldest logout token accepted, in seconds; defaults to 300. */
  maxAge?: number;
  /** Where logout token ids are remembered; defaults to one {@link MemoryReplayCache} per app. */
  replayCache?: ReplayCache;
}

/**
 * What the back-channel logout route answers: `200` when the matching sessions are ended,
 * `400` with a JSON error for a token that is refused (or when this app cannot end sessions),
 * `502`/`503`/`504` when the provider's keys or the session store cannot be reached. Never 500.
 *
 * @example
 * ```ts
 * const { status, headers, body } = await web.backchannelLogout(await request.text());
 * return new Response(body, { status, headers });
 * ```
 */
export interface BackchannelLogoutResponse {
  status: 200 | 400 | 502 | 503 | 504;
  headers: Record<string, string>;
  /** Empty on success; `{"error":"invalid_request","error_description":…}` on failure. */
  body: string;
}

const COOKIE_SESSIONS =
  'Back-channel logout needs server-side sessions: this app keeps sessions in cookies (or in a store without deleteBySid), which cannot be ended from the server. Configure session.store, e.g. RedisSessionStore from @logto-kit/redis.';

/**
 * Handles a back-channel logout request body (`application/x-www-form-urlencoded` with
 * `logout_token`): verifies the token, refuses a replayed `jti`, and ends every stored session
 * of the provider session (`sid`) in every instance that shares the store. Never throws.
 *
 * @example
 * ```ts
 * const response = await handleBackchannelLogout(web, 'logout_token=eyJ…');
 * ```
 */
export async function handleBackchannelLogout(
  web: LogtoWeb,
  form: string | URLSearchParams,
  replayCache: ReplayCache,
): Promise<BackchannelLogoutResponse> {
  const options = web.options.backchannelLogout ?? {};
  try {
    // Said before anything else, so the provider's log shows why logouts do not take effect.
    if (!web.options.session.store?.deleteBySid) {
      throw new LogoutTokenError('unsupported', COOKIE_SESSIONS);
    }
    const params = typeof form === 'string' ? new URLSearchParams(form) : form;
    const token = params.get('logout_token');
    const config = web.clientConfig;
    const metadata = await fetchProviderMetadata(config);
    const claims = await verifyLogoutToken(token, config, metadata, { maxAge: options.maxAge });
    if (!claims.sid) {
      throw new LogoutTokenError(
        'unsupported',
        'The logout token has no sid; this app ends sessions by provider session (sid) only.',
      );
    }
    const maxAge = options.maxAge ?? LOGOUT_TOKEN_MAX_AGE;
    const until = claims.iat + maxAge + 2 * config.clockTolerance;
    if (!(await replayCache.remember(`${claims.iss}\n${claims.jti}`, until))) {
      throw new LogoutTokenError('replayed', 'This logout token was already used.');
    }
    const revoked = await web.sessions.revokeBySid(claims.sid);
    web.logger.debug('logto: back-channel logout', { revoked });
    return { status: 200, headers: { 'cache-control': 'no-store' }, body: '' };
  } catch (error) {
    return failure(web, error);
  }
}

function failure(web: LogtoWeb, error: unknown): BackchannelLogoutResponse {
  const headers = { 'cache-control': 'no-store', 'content-type': 'application/json' };
  const mapped = errorResponse(error);
  if (isLogtoError(error) && mapped.status >= 502) {
    web.logger.warn?.('logto: back-channel logout could not be processed', { code: error.code });
    const body = { error: 'temporarily_unavailable', error_description: mapped.message };
    return { status: mapped.status as 502 | 503 | 504, headers, body: JSON.stringify(body) };
  }
  const reason = error instanceof LogoutTokenError ? error.reason : 'unexpected';
  web.logger.warn?.('logto: back-channel logout refused', { reason });
  const description =
    error instanceof LogoutTokenError
      ? error.message
      : 'The logout request could not be processed.';
  const body = { error: 'invalid_request', error_description: description };
  return { status: 400, headers, body: JSON.stringify(body) };
}

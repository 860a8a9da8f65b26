/**
 * Refreshing one session's access token, where a refresh starts (`LogtoClient.getAccessToken`
 * calls it when the cached token is missing or stale): the coordinated grant, the
 * `invalid_grant` re-read, and writing the results back to the session's storage.
 *
 * @module
 */
import type { IdTokenClaims } from '../claims.js';
import type { LogtoConfig } from '../config.js';
import { fetchProviderMetadata } from '../discovery.js';
import { IdTokenClaimError, InvalidGrantError, NotAuthenticatedError } from '../errors.js';
import { decodeIdTokenClaims } from '../id-token.js';
import type { Storage } from '../storage.js';
import { readAccessTokenMap, type TokenTarget } from '../tokens.js';
import { refreshCoordinator } from './coordinator.js';
import { type RefreshResult, refreshTokens } from './grant.js';
import { sharedRefresh } from './shared-refresh.js';

/**
 * Gets a new access token for `target` with the session's refresh token (one grant per refresh
 * token in the process, and across processes with `config.refreshLock`), stores what came back,
 * and returns the access token. After
 * `invalid_grant`, re-reads the storage once: another request may have rotated the token.
 */
export async function refreshSessionToken(
  config: LogtoConfig,
  storage: Storage,
  target: TokenTarget,
  retried = false,
): Promise<string> {
  const refreshToken = await storage.get('refreshToken');
  if (!refreshToken) throw new NotAuthenticatedError('No refresh token; sign in again.');
  const idToken = await storage.get('idToken');
  const previous = idToken ? decodeIdTokenClaims(idToken) : undefined;
  let result: RefreshResult;
  try {
    const metadata = await fetchProviderMetadata(config);
    const scope = `${config.endpoint}\n${config.appId}`;
    const grant = (token: string) => refreshTokens(config, metadata, token, target, previous);
    const lock = config.refreshLock;
    // The process coordinator is the fast path: one caller per process reaches the shared lock.
    result = await refreshCoordinator.refresh(scope, refreshToken, target.key, (token) =>
      lock
        ? sharedRefresh(lock, scope, token, target.key, grant, { lockTtl: lockTtl(config) })
        : grant(token),
    );
  } catch (error) {
    if (error instanceof InvalidGrantError && !retried) {
      const latest = await storage.get('refreshToken');
      if (latest && latest !== refreshToken) {
        return refreshSessionToken(config, storage, target, true);
      }
    }
    throw error;
  }
  await storeRefreshResult(storage, refreshToken, result, target, previous);
  return result.accessToken;
}

/**
 * The longest a grant may hold the shared lock: the token request and the JWKS fetch that
 * verifies its ID token, each bounded by the timeout, plus a second.
 */
function lockTtl(config: LogtoConfig): number {
  return 2 * config.timeout + 1_000;
}

async function storeRefreshResult(
  storage: Storage,
  usedRefreshToken: string,
  result: RefreshResult,
  target: TokenTarget,
  previous: IdTokenClaims | undefined,
): Promise<void> {
  // The grant may have run for another client instance: check the user is this session's.
  if (result.idToken && result.idTokenClaims) {
    if (previous && previous.sub !== result.idTokenClaims.sub) {
      throw new IdTokenClaimError('sub', 'changed');
    }
    await storage.set('idToken', result.idToken);
  }
  if (result.refreshToken !== usedRefreshToken) {
    // Keep a token another request stored meanwhile rather than an older one.
    const current = await storage.get('refreshToken');
    if (!current || current === usedRefreshToken) {
      await storage.set('refreshToken', result.refreshToken);
    }
  }
  const map = readAccessTokenMap(await storage.get('accessTokenMap'));
  map[target.key] = {
    token: result.accessToken,
    expiresAt: result.expiresAt,
    scope: result.scope,
    lastUsedAt: Math.floor(Date.now() / 1000),
  };
  await storage.set('accessTokenMap', JSON.stringify(map));
}

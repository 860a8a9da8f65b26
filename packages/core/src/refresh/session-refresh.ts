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
import {
  IdTokenClaimError,
  InvalidGrantError,
  NotAuthenticatedError,
  RefreshDeferredError,
} from '../errors.js';
import { decodeIdTokenClaims } from '../id-token.js';
import { withDeadline } from '../lib/deadline.js';
import { count, traced } from '../lib/telemetry.js';
import type { Storage } from '../storage.js';
import { readAccessTokenMap, type TokenTarget } from '../tokens.js';
import { refreshCoordinator } from './coordinator.js';
import { type RefreshResult, refreshExchangeTimeout, refreshTokens } from './grant.js';
import { sharedRefresh } from './shared-refresh.js';

/**
 * Gets a new access token for `target` with the session's refresh token (one grant per refresh
 * token in the process, and across processes with `config.refreshLock`), stores what came back,
 * and returns the access token. After `invalid_grant`, re-reads the storage once: another
 * request may have rotated the token.
 *
 * One deadline for the whole call: it fails with `provider.timeout` once `config.timeout` has
 * passed, whether the time went to the provider, to waiting for another request's grant, or to
 * waiting for another instance's lock. The grant itself goes on (bounded by
 * {@link refreshExchangeTimeout}) and its result is kept for the next request.
 *
 * A storage that defers refreshes ({@link RefreshGate}) gets `RefreshDeferredError` at once.
 *
 * Traced as `logto.refresh`, with `logto.refresh.coalesced` when this call sent no token request
 * of its own: it joined another request's grant, or took its result (in this process or shared).
 */
export async function refreshSessionToken(
  config: LogtoConfig,
  storage: Storage,
  target: TokenTarget,
): Promise<string> {
  if ((storage as Partial<RefreshGate>).defersRefresh) throw new RefreshDeferredError(target);
  const deadline = Date.now() + config.timeout;
  return traced('logto.refresh', { 'logto.refresh.target': targetKind(target) }, async (span) => {
    const grants = { sent: 0 };
    const accessToken = await refreshWithin(config, storage, target, deadline, false, grants);
    const coalesced = grants.sent === 0;
    span.setAttribute('logto.refresh.coalesced', coalesced);
    if (coalesced) count('logto.refreshes.coalesced');
    return accessToken;
  });
}

/**
 * A storage whose writes cannot reach the browser (a Next.js Server Component with cookie
 * sessions): a refresh there would spend the refresh token and lose its successor, so
 * {@link refreshSessionToken} throws `RefreshDeferredError` instead, before any network.
 */
export interface RefreshGate {
  readonly defersRefresh: boolean;
}

/** What a refresh is for, as a span attribute: the kind only, not the resource or organization. */
function targetKind(target: TokenTarget): string {
  if (target.organizationId !== undefined) {
    return target.resource === undefined ? 'organization' : 'organization_resource';
  }
  return target.resource === undefined ? 'default' : 'resource';
}

async function refreshWithin(
  config: LogtoConfig,
  storage: Storage,
  target: TokenTarget,
  deadline: number,
  retried: boolean,
  grants: { sent: number },
): Promise<string> {
  const refreshToken = await storage.get('refreshToken');
  if (!refreshToken) throw new NotAuthenticatedError('No refresh token; sign in again.');
  const idToken = await storage.get('idToken');
  const previous = idToken ? decodeIdTokenClaims(idToken) : undefined;
  let result: RefreshResult;
  try {
    result = await withDeadline(
      coordinatedGrant(config, refreshToken, target, previous, grants),
      deadline - Date.now(),
    );
  } catch (error) {
    if (error instanceof InvalidGrantError && !retried) {
      const latest = await storage.get('refreshToken');
      if (latest && latest !== refreshToken) {
        return refreshWithin(config, storage, target, deadline, true, grants);
      }
    }
    throw error;
  }
  await storeRefreshResult(storage, refreshToken, result, target, previous);
  return result.accessToken;
}

async function coordinatedGrant(
  config: LogtoConfig,
  refreshToken: string,
  target: TokenTarget,
  previous: IdTokenClaims | undefined,
  grants: { sent: number },
): Promise<RefreshResult> {
  const metadata = await fetchProviderMetadata(config);
  const scope = refreshScope(config);
  // Called only when this caller sends the token request (not when it joins another's).
  const grant = (token: string) => {
    grants.sent += 1;
    return refreshTokens(config, metadata, token, target, previous);
  };
  const lock = config.refreshLock;
  // The process coordinator is the fast path: one caller per process reaches the shared lock.
  return refreshCoordinator.refresh(scope, refreshToken, target.key, (token) =>
    lock
      ? sharedRefresh(lock, scope, token, target.key, grant, { lockTtl: lockTtl(config) })
      : grant(token),
  );
}

/** What separates one client's refreshes from another's: its endpoint and app ID. */
export function refreshScope(config: LogtoConfig): string {
  return `${config.endpoint}\n${config.appId}`;
}

/**
 * The longest a grant may hold the shared lock: the token request (bounded by
 * {@link refreshExchangeTimeout}) and the JWKS fetch that verifies its ID token (bounded by the
 * timeout), plus a second.
 */
function lockTtl(config: LogtoConfig): number {
  return refreshExchangeTimeout(config) + config.timeout + 1_000;
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
    issuedAt: result.issuedAt,
    scope: result.scope,
    lastUsedAt: Math.floor(Date.now() / 1000),
  };
  await storage.set('accessTokenMap', JSON.stringify(map));
}

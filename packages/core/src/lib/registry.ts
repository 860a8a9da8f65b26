/**
 * Process-wide state shared by every client of one Logto endpoint: the discovery document, the
 * JWKS, and the openid-client configurations built from them. Per-request clients are cheap
 * because of it. This is the only module-level state of the package.
 */
import type { ProviderMetadata } from '../provider-metadata.js';
import { RemoteKeySet } from './jwks.js';
import { SharedValue } from './shared-value.js';

/** What is shared for one endpoint. */
export interface ProviderState {
  readonly metadata: SharedValue<ProviderMetadata>;
  /** Key sets by `jwks_uri` (it may change between discovery refreshes). */
  readonly keySets: Map<string, RemoteKeySet>;
}

/** How long a discovery document is used before it is fetched again: 10 minutes. */
export const DISCOVERY_TTL = 10 * 60_000;
const providers = new Map<string, ProviderState>();

/** The shared state of an endpoint, created on first use. */
export function providerState(endpoint: string): ProviderState {
  let state = providers.get(endpoint);
  if (!state) {
    state = {
      metadata: new SharedValue<ProviderMetadata>({
        ttl: DISCOVERY_TTL,
        maxStale: 24 * 60 * 60_000,
        retryDelay: 5_000,
      }),
      keySets: new Map(),
    };
    providers.set(endpoint, state);
  }
  return state;
}

/** The shared key set of a `jwks_uri` under an endpoint. */
export function keySetFor(endpoint: string, jwksUri: string): RemoteKeySet {
  const state = providerState(endpoint);
  let keySet = state.keySets.get(jwksUri);
  if (!keySet) {
    keySet = new RemoteKeySet();
    state.keySets.set(jwksUri, keySet);
  }
  return keySet;
}

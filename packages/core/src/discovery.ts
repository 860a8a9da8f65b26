/**
 * OpenID Provider discovery: `<endpoint>/oidc/.well-known/openid-configuration`, fetched once
 * per process per endpoint and shared by every client (single-flight, refreshed on a TTL).
 *
 * @module
 */
import type { LogtoConfig } from './config.js';
import { IssuerMismatchError, ProviderResponseError } from './errors.js';
import { reportProviderFailure } from './lib/diagnostics.js';
import { createProviderFetch, getJson } from './lib/http.js';
import { providerState } from './lib/registry.js';
import { traced, urlAttribute } from './lib/telemetry.js';
import { isAllowedProviderUrl } from './lib/url.js';
import { type ProviderMetadata, providerMetadataSchema } from './provider-metadata.js';

/**
 * How long a discovery document is used before it is fetched again: 10 minutes.
 *
 * @example
 * ```ts
 * DISCOVERY_TTL; // 600000
 * ```
 */
export { DISCOVERY_TTL } from './lib/registry.js';
export { type ProviderMetadata, providerMetadataSchema } from './provider-metadata.js';

/**
 * The discovery URL of a Logto endpoint.
 *
 * @example
 * ```ts
 * discoveryUrl('https://tenant.logto.app');
 * // 'https://tenant.logto.app/oidc/.well-known/openid-configuration'
 * ```
 */
export function discoveryUrl(endpoint: string): string {
  return `${endpoint}/oidc/.well-known/openid-configuration`;
}

/**
 * Validates a discovery document: the shape, the issuer (must be exactly `expectedIssuer`), and
 * that every endpoint is https (or http on loopback when `allowLoopbackHttp`).
 *
 * @example
 * ```ts
 * const metadata = processDiscoveryDocument(json, 'https://tenant.logto.app/oidc', false);
 * ```
 */
export function processDiscoveryDocument(
  body: unknown,
  expectedIssuer: string,
  allowLoopbackHttp: boolean,
): ProviderMetadata {
  const parsed = providerMetadataSchema.safeParse(body);
  if (!parsed.success) {
    throw new ProviderResponseError('The discovery document is invalid.', {
      cause: parsed.error,
    });
  }
  const metadata = parsed.data;
  if (metadata.issuer.replace(/\/+$/, '') !== expectedIssuer) {
    throw new IssuerMismatchError(expectedIssuer, metadata.issuer);
  }
  for (const key of [
    'authorization_endpoint',
    'token_endpoint',
    'jwks_uri',
    'userinfo_endpoint',
    'end_session_endpoint',
    'revocation_endpoint',
  ] as const) {
    const value = metadata[key];
    if (value === undefined) continue;
    const allowed = allowLoopbackHttp ? isAllowedProviderUrl(value) : value.startsWith('https://');
    if (!allowed || !URL.canParse(value)) {
      throw new ProviderResponseError(`The discovered ${key} is not an https URL.`);
    }
  }
  return Object.freeze(metadata);
}

/**
 * The provider's discovery document for a client config, from the process-wide cache or the
 * network. Concurrent callers share one request; a failed refresh keeps serving the previous
 * document for a while. A failure is logged once (the URL, the answer, and what to change).
 *
 * @example
 * ```ts
 * const { token_endpoint } = await fetchProviderMetadata(client.config);
 * ```
 */
export async function fetchProviderMetadata(config: LogtoConfig): Promise<ProviderMetadata> {
  const state = providerState(config.endpoint);
  return state.metadata.get(() => {
    const url = discoveryUrl(config.endpoint);
    return traced('logto.discovery', urlAttribute(url), async () => {
      try {
        const fetch = createProviderFetch(config.fetch, config.timeout);
        const body = await getJson(fetch, url, 'discovery', config.timeout);
        return processDiscoveryDocument(body, config.issuer, config.insecureLoopback);
      } catch (error) {
        reportProviderFailure(config, 'discovery', error, url);
        throw error;
      }
    });
  });
}

/**
 * The key-set loader of an endpoint's `jwks_uri`: fetched within the timeout, validated, and a
 * failure logged once (the URL and the answer) before it is thrown.
 */
import type { JWK } from 'jose';
import type { LogtoConfig } from '../config.js';
import { reportProviderFailure } from './diagnostics.js';
import { createProviderFetch, getJson } from './http.js';
import { processJwks } from './jwks.js';
import { traced, urlAttribute } from './telemetry.js';

/** A loader for `keySetFor(…).getKey(…, loader)`. */
export function jwksLoader(config: LogtoConfig, jwksUri: string): () => Promise<readonly JWK[]> {
  return () =>
    traced('logto.jwks', urlAttribute(jwksUri), async () => {
      try {
        const fetch = createProviderFetch(config.fetch, config.timeout);
        return processJwks(await getJson(fetch, jwksUri, 'JWKS', config.timeout));
      } catch (error) {
        reportProviderFailure(config, 'jwks', error, jwksUri);
        throw error;
      }
    });
}

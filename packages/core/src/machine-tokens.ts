/**
 * Machine-to-machine access tokens (OAuth 2.0 client credentials, Logto's dialect): for backend
 * jobs that call an API as the application itself.
 *
 * @module
 */
import * as oidc from 'openid-client';
import { type LogtoClientConfig, type LogtoConfig, resolveConfig } from './config.js';
import { fetchProviderMetadata } from './discovery.js';
import { openidConfiguration, toLogtoError } from './lib/openid.js';

/**
 * What {@link MachineTokens.getAccessToken} asks for. Logto needs `resource` unless
 * `organizationId` is given (then the token is for the organization, `aud`
 * `urn:logto:organization:<id>`); with both it is an organization-scoped API token.
 *
 * @example
 * ```ts
 * const target: MachineTokenRequest = { resource: 'https://api.example.com', scopes: ['read'] };
 * ```
 */
export interface MachineTokenRequest {
  /** The API resource indicator. */
  resource?: string | undefined;
  /** The organization the token is for. */
  organizationId?: string | undefined;
  /** Scopes to ask for; Logto grants those the app's machine-to-machine roles hold. */
  scopes?: readonly string[] | undefined;
}

/** Seconds before `expires_in` runs out that a cached token is no longer handed out. */
const EXPIRY_MARGIN = 60;

interface Cached {
  token: string;
  /** Epoch ms after which the token is fetched again. */
  renewAt: number;
}

/**
 * Client-credentials tokens of a machine-to-machine app, cached until shortly before they
 * expire, and fetched once however many callers ask at the same time (single-flight per
 * target). Needs the app's secret. Provider failures throw the usual errors
 * (`provider.unavailable`, `oauth.invalid_client`, `oauth.access_denied`, …).
 *
 * @example
 * ```ts
 * const machine = new MachineTokens({ endpoint: 'https://tenant.logto.app', appId: 'm2m-app', appSecret: 'secret' });
 * const token = await machine.getAccessToken({ resource: 'https://api.example.com', scopes: ['read'] });
 * await fetch('https://api.example.com/notes', { headers: { authorization: `Bearer ${token}` } });
 * ```
 */
export class MachineTokens {
  /** The validated configuration. */
  readonly config: LogtoConfig;
  readonly #cache = new Map<string, Cached>();
  readonly #pending = new Map<string, Promise<string>>();

  /** @throws TypeError naming every problem with the config, or when there is no secret. */
  constructor(config: LogtoClientConfig | LogtoConfig) {
    this.config = resolveConfig(config);
    if (!this.config.appSecret) {
      throw new TypeError('MachineTokens needs the appSecret of a machine-to-machine app.');
    }
  }

  /**
   * A token for `request`: the cached one while it has more than a minute left, otherwise a new
   * one (one request however many callers wait for it).
   *
   * @example
   * ```ts
   * const token = await machine.getAccessToken({ organizationId: 'acme' });
   * ```
   */
  async getAccessToken(request: MachineTokenRequest): Promise<string> {
    const { resource, organizationId } = request;
    if (!resource && !organizationId) {
      throw new TypeError('A machine token needs a resource or an organizationId.');
    }
    const scopes = [...new Set(request.scopes ?? [])].sort();
    const key = JSON.stringify([resource ?? null, organizationId ?? null, scopes]);
    const cached = this.#cache.get(key);
    if (cached && Date.now() < cached.renewAt) return cached.token;
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#fetch({ resource, organizationId }, scopes, key).finally(() =>
        this.#pending.delete(key),
      );
      this.#pending.set(key, pending);
    }
    return pending;
  }

  async #fetch(
    target: { resource: string | undefined; organizationId: string | undefined },
    scopes: readonly string[],
    key: string,
  ): Promise<string> {
    const metadata = await fetchProviderMetadata(this.config);
    const params = new URLSearchParams();
    if (target.resource) params.set('resource', target.resource);
    if (target.organizationId) params.set('organization_id', target.organizationId);
    if (scopes.length > 0) params.set('scope', scopes.join(' '));
    let response: oidc.TokenEndpointResponse;
    try {
      response = await oidc.clientCredentialsGrant(
        openidConfiguration(this.config, metadata),
        params,
      );
    } catch (error) {
      throw toLogtoError(error, 'token', { config: this.config, url: metadata.token_endpoint });
    }
    const lifetime = response.expires_in ?? 3600;
    const margin = Math.min(EXPIRY_MARGIN, lifetime / 2);
    this.#cache.set(key, {
      token: response.access_token,
      renewAt: Date.now() + (lifetime - margin) * 1000,
    });
    if (this.#cache.size > 256) this.#cache.delete(this.#cache.keys().next().value as string);
    return response.access_token;
  }
}

import { randomBytes } from 'node:crypto';
import Provider, {
  type Configuration,
  errors,
  type KoaContextWithOIDC,
  type ResourceServer,
} from 'oidc-provider';
import type { MemoryStore } from './adapter.js';
import { type Directory, organizationResource, organizationUrn, scopeClaims } from './directory.js';
import type { SigningAlgorithm, SigningJwk } from './keys.js';
import { addMachineOrganizationGrant } from './machine-organization-grant.js';
import { addOrganizationGrant } from './organization-grant.js';
import { escapeHtml, messagePage, page } from './pages.js';

/** Logto's `extraParams` (`ExtraParamsKey` in `@logto/schemas`). */
const extraParams = [
  'first_screen',
  'interaction_mode',
  'direct_sign_in',
  'identifier',
  'organization_id',
  'one_time_token',
  'google_one_tap_credential',
];

/** Messages Logto puts in the `message` field of its OIDC error bodies. */
const logtoMessages: Record<string, string> = {
  access_denied: 'Access denied.',
  invalid_target: 'Invalid resource indicator.',
  invalid_grant: 'Grant request is invalid.',
  insufficient_scope: 'Token missing scope `{{scope}}`.',
  invalid_scope: 'Invalid scope.',
  invalid_request: 'Invalid request.',
};

/**
 * What a user needs when a sign-in names a redirect URI the app did not register: the URI sent
 * and the ones registered, so the fix (`baseUrl`, `LOGTO_BASE_URL`, or the seed) is plain.
 */
function redirectUriHint(ctx: KoaContextWithOIDC): string {
  const sent = (ctx.oidc?.params as Record<string, unknown> | undefined)?.redirect_uri;
  const registered = ctx.oidc?.client?.redirectUris ?? [];
  const list = registered.map((uri) => `<li><code>${escapeHtml(uri)}</code></li>`).join('');
  return `<p id="redirect-uri-hint">The app sent the redirect URI <code>${escapeHtml(String(sent ?? '(none)'))}</code>, which is not registered for <code>${escapeHtml(ctx.oidc?.client?.clientId ?? 'this app')}</code>. Registered:</p><ul>${list || '<li>none</li>'}</ul><p>The app derives it from its <code>baseUrl</code> (<code>LOGTO_BASE_URL</code> in the examples): make the two agree, or register the URI in the seed.</p>`;
}

export interface ProviderOptions {
  issuer: string;
  directory: Directory;
  store: MemoryStore;
  signingKeys: SigningJwk[];
  /** Keys that sign the provider's cookies; kept across a key rotation so sessions survive. */
  cookieKeys?: string[];
}

function resourceServerInfo(
  ctx: KoaContextWithOIDC,
  indicator: string,
  directory: Directory,
  defaults: { ttl: number; alg: SigningAlgorithm },
): ResourceServer {
  const jwt = { sign: { alg: defaults.alg } };
  const client = ctx.oidc.client;
  const app = client
    ? directory.seed.applications.find((a) => a.id === client.clientId)
    : undefined;
  const organizationId = (ctx.oidc.params as Record<string, unknown> | undefined)?.organization_id;
  const orgId =
    typeof organizationId === 'string' && organizationId !== '' ? organizationId : undefined;
  if (app?.type === 'machine') {
    if (indicator === organizationResource) {
      // An organization token (`organization_id` without `resource`, see
      // `machine-organization-grant.ts`): the app's organization roles there grant the scopes.
      if (!orgId) throw new errors.InvalidTarget();
      return {
        scope: [...directory.machineOrganizationScopes(app.id, orgId)].join(' '),
        accessTokenFormat: 'jwt',
        accessTokenTTL: 3600,
        jwt,
        audience: organizationUrn(orgId),
      };
    }
    // Logto's client credentials: the app's machine-to-machine roles grant the scopes, or with
    // `organization_id`, its organization roles in that organization.
    const resource = directory.resource(indicator);
    if (!resource) throw new errors.InvalidTarget();
    const scopes = orgId
      ? directory.machineOrganizationScopes(app.id, orgId, indicator)
      : new Set(
          app.roles.flatMap(
            (name) =>
              directory.seed.roles.find((role) => role.name === name)?.scopes[indicator] ?? [],
          ),
        );
    return {
      scope: [...scopes].join(' '),
      accessTokenFormat: 'jwt',
      accessTokenTTL: resource.accessTokenTtl ?? defaults.ttl,
      jwt,
    };
  }
  const accountId = ctx.oidc.entities.Account?.accountId;
  if (indicator === organizationResource) {
    const all = new Set(directory.seed.organizationRoles.flatMap((role) => role.scopes));
    const scopes = accountId ? directory.organizationScopes(accountId, orgId) : all;
    return {
      scope: [...scopes].join(' '),
      accessTokenFormat: 'jwt',
      accessTokenTTL: 3600,
      jwt,
      ...(orgId ? { audience: organizationUrn(orgId) } : {}),
    };
  }

  const resource = directory.resource(indicator);
  if (!resource) throw new errors.InvalidTarget();
  // Before the user is known (the authorization request), every scope of the resource is
  // acceptable; at the token endpoint the token gets only what the user's roles grant.
  const scopes = accountId
    ? directory.resourceScopes(accountId, indicator, orgId)
    : new Set(resource.scopes);
  return {
    scope: [...scopes].join(' '),
    accessTokenFormat: 'jwt',
    accessTokenTTL: resource.accessTokenTtl ?? defaults.ttl,
    jwt,
  };
}

/**
 * Builds the oidc-provider instance configured the way Logto configures its own
 * (`packages/core/src/oidc/init.ts`): ES384 keys, Logto's scopes and claims, resource
 * indicators with JWT access tokens, organization tokens, refresh rotation, logout.
 */
export function createProvider({
  issuer,
  directory,
  store,
  signingKeys,
  cookieKeys = [randomBytes(32).toString('base64url')],
}: ProviderOptions): Provider {
  const { seed } = directory;
  const signingAlg = signingKeys[0]!.alg;

  const configuration: Configuration = {
    adapter: store.adapter,
    clients: seed.applications.map((app) =>
      app.type === 'machine'
        ? {
            client_id: app.id,
            client_name: app.name,
            client_secret: app.secret!,
            token_endpoint_auth_method: 'client_secret_basic',
            grant_types: ['client_credentials'],
            response_types: [],
            redirect_uris: [],
          }
        : {
            client_id: app.id,
            client_name: app.name,
            ...(app.secret ? { client_secret: app.secret } : {}),
            token_endpoint_auth_method: app.type === 'traditional' ? 'client_secret_basic' : 'none',
            application_type: app.type === 'native' ? 'native' : 'web',
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            redirect_uris: app.redirectUris,
            post_logout_redirect_uris: app.postLogoutRedirectUris,
            ...(app.backchannelLogoutUri
              ? {
                  backchannel_logout_uri: app.backchannelLogoutUri,
                  backchannel_logout_session_required: app.backchannelLogoutSessionRequired,
                }
              : {}),
            id_token_signed_response_alg: signingAlg,
          },
    ),
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      id_token_signed_response_alg: signingAlg,
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    jwks: { keys: signingKeys },
    enabledJWA: {
      idTokenSigningAlgValues: [signingAlg],
      userinfoSigningAlgValues: [signingAlg],
      introspectionSigningAlgValues: [signingAlg],
      authorizationSigningAlgValues: [signingAlg],
    },
    cookies: { keys: cookieKeys },
    claims: { ...scopeClaims, openid: ['sub'] },
    scopes: ['openid', 'offline_access', ...Object.keys(scopeClaims)],
    conformIdTokenClaims: false,
    extraParams,
    responseTypes: ['code id_token', 'code', 'id_token', 'none'],
    pkce: { required: (_ctx, client) => client.clientAuthMethod !== 'client_secret_basic' },
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? seed.ttl.accessToken,
      AuthorizationCode: 60,
      IdToken: seed.ttl.idToken,
      RefreshToken: (ctx, token, client) => {
        // A rotated refresh token of a public web client keeps its predecessor's remaining
        // lifetime (oidc-provider's and Logto's rule), so SPA sessions have an absolute end.
        if (
          ctx?.oidc.entities.RotatedRefreshToken &&
          client.applicationType === 'web' &&
          client.clientAuthMethod === 'none' &&
          !token.isSenderConstrained()
        ) {
          return ctx.oidc.entities.RotatedRefreshToken.remainingTTL;
        }
        return seed.ttl.refreshToken;
      },
      Session: seed.ttl.session,
      Grant: seed.ttl.grant,
      Interaction: 3600,
    },
    rotateRefreshToken:
      seed.refreshTokenRotation === 'strict'
        ? true
        : (ctx) => {
            const { RefreshToken: token, Client: client } = ctx.oidc.entities;
            if (!token || !client) return false;
            if (token.totalLifetime() >= 365.25 * 24 * 3600) return false;
            if (client.clientAuthMethod === 'none' && !token.isSenderConstrained()) return true;
            return token.ttlPercentagePassed() >= 70;
          },
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    findAccount: (_ctx, id) => {
      const user = directory.user(id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: (use) => ({
          sub: id,
          ...directory.claimsFor(id, use === 'id_token' ? 'id_token' : 'userinfo'),
        }),
      };
    },
    extraTokenClaims: (ctx, token) => {
      const organizationId = (ctx.oidc.params as Record<string, unknown> | undefined)
        ?.organization_id;
      const audience = 'aud' in token ? token.aud : undefined;
      if (
        typeof organizationId === 'string' &&
        organizationId !== '' &&
        typeof audience === 'string' &&
        audience !== organizationUrn(organizationId)
      ) {
        return { organization_id: organizationId };
      }
      return undefined;
    },
    formats: {
      customizers: {
        // Logto's fork always puts `scope` in JWT access tokens, empty when nothing was granted.
        jwt: (_ctx, _token, jwt) => {
          jwt.payload.scope ??= '';
        },
      },
    },
    interactions: {
      url: (_ctx, interaction) =>
        interaction.prompt.name === 'consent'
          ? '/consent'
          : `/sign-in?app_id=${encodeURIComponent(String(interaction.params.client_id))}`,
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      // A client revokes or introspects only its own tokens (oidc-provider's default rule, set
      // here so it does not print its "you SHOULD change it" notice at every sign-out).
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => {
          if (token.clientId === client.clientId) return true;
          if (client.clientAuthMethod === 'none') return false;
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        },
      },
      introspection: {
        enabled: true,
        allowedPolicy: async (ctx, client, token) =>
          client.clientAuthMethod !== 'none' || token.clientId === ctx.oidc.client?.clientId,
      },
      clientCredentials: { enabled: true },
      dPoP: { enabled: false },
      backchannelLogout: { enabled: true },
      claimsParameter: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // Logto's logout page submits its confirmation form by itself: no click needed.
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = page(
            'Signing out',
            `<h1>Signing out…</h1>${form}
<noscript><button form="op.logoutForm" type="submit" name="logout" value="yes">Sign out</button></noscript>
<script>var f=document.getElementById('op.logoutForm');var i=document.createElement('input');i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit();</script>`,
          );
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = messagePage('Signed out', 'You have successfully signed out.');
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (ctx) => {
          // Logto: client credentials need `resource` unless `organization_id` is sent.
          if (ctx.oidc.params?.grant_type === 'client_credentials') {
            throw new errors.InvalidTarget(
              'both `resource` and `organization_id` are not provided',
            );
          }
          return undefined;
        },
        useGrantedResource: () => false,
        getResourceServerInfo: (ctx, indicator) =>
          resourceServerInfo(ctx, indicator, directory, {
            ttl: seed.ttl.accessToken,
            alg: signingAlg,
          }),
      },
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      const detail = [out.error, out.error_description].filter(Boolean).join(': ');
      const hint = out.error === 'invalid_redirect_uri' ? redirectUriHint(ctx) : '';
      ctx.body = page(
        'Error',
        `<h1>Something went wrong</h1><p><code>${escapeHtml(String(detail))}</code></p>${hint}`,
      );
    },
    // Back-channel logout reaches apps on this machine: oidc-provider's SSRF guard would
    // refuse loopback addresses, which is all a local dev server ever talks to.
    fetch: (url, options) => {
      const { dispatcher: _ssrfGuard, ...rest } = options as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(url, rest);
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.proxy = true;

  // Logto's error body: `{ code: "oidc.<error>", message, error, error_description }`.
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as Record<string, unknown> | undefined;
    if (ctx.status >= 400 && body && typeof body === 'object' && typeof body.error === 'string') {
      const { error } = body;
      ctx.body = {
        code: `oidc.${error}`,
        message: logtoMessages[error] ?? `An OIDC error occurred: oidc.${error}.`,
        ...body,
      };
    }
  });

  // Logto SDKs send `resource=urn:logto:resource:organizations` with the organizations scope;
  // add it when a client did not, so organization tokens work for every client as on Logto.
  provider.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/auth') {
      const scope = String(ctx.query.scope ?? '').split(' ');
      const resources = ([] as unknown[]).concat(ctx.query.resource ?? []);
      if (
        scope.includes('urn:logto:scope:organizations') &&
        !resources.includes(organizationResource)
      ) {
        const query = new URLSearchParams(ctx.querystring);
        query.append('resource', organizationResource);
        const before = ctx.url;
        ctx.querystring = query.toString();
        // oidc-provider derives its mount path from `originalUrl`; keep the two in step.
        const req = ctx.req as typeof ctx.req & { originalUrl?: string };
        if (req.originalUrl) req.originalUrl = req.originalUrl.replace(before, ctx.url);
      }
    }
    await next();
  });

  addOrganizationGrant(provider, directory);
  addMachineOrganizationGrant(provider, directory);
  return provider;
}

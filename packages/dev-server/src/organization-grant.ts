import type Provider from 'oidc-provider';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import instance from 'oidc-provider/lib/helpers/weak_cache.js';
import { type Directory, organizationResource } from './directory.js';

const organizationsScope = 'urn:logto:scope:organizations';

/** A 403 error with the status Logto gives it (oidc-provider's own classes say 400). */
function forbidden<T extends Error & { status: number; statusCode: number }>(error: T): T {
  error.status = 403;
  error.statusCode = 403;
  return error;
}

/**
 * Adds Logto's `organization_id` parameter to the `refresh_token` grant (Logto RFC 0001):
 * - alone, it issues an organization token (`aud = urn:logto:organization:<id>`, scopes from the
 *   user's organization roles there), through the reserved organizations resource;
 * - with `resource`, it issues an API token narrowed to the organization, with an
 *   `organization_id` claim (see `extraTokenClaims` in `provider.ts`).
 * A refresh token without the organizations scope gets 403 `insufficient_scope`, a non-member
 * 403 `access_denied`, exactly as Logto answers.
 */
export function addOrganizationGrant(provider: Provider, directory: Directory): void {
  const internals = instance(provider);
  const original = internals.grantTypeHandlers.get('refresh_token');
  const parameters = internals.grantTypeParams.get('refresh_token');
  if (!original || !parameters)
    throw new Error('oidc-provider has no refresh_token grant to extend');

  const handler = async (ctx: KoaContextWithOIDC): Promise<void> => {
    const params = ctx.oidc.params as Record<string, unknown>;
    const organizationId = params.organization_id;
    if (typeof organizationId !== 'string' || organizationId === '') return original(ctx);

    const token = await provider.RefreshToken.find(String(params.refresh_token), {
      ignoreExpiration: true,
    });
    // Unknown, expired or foreign refresh tokens get the stock `invalid_grant` answers.
    if (token && token.clientId === ctx.oidc.client?.clientId && !token.isExpired) {
      if (!token.scopes.has(organizationsScope)) {
        const error = forbidden(
          new errors.InsufficientScope('refresh token missing required scope', organizationsScope),
        );
        throw error;
      }
      if (!token.accountId || !directory.isMember(token.accountId, organizationId)) {
        throw forbidden(new errors.AccessDenied('user is not a member of the organization'));
      }
    }
    if (!params.resource) params.resource = organizationResource;
    return original(ctx);
  };

  provider.registerGrantType(
    'refresh_token',
    handler,
    [...parameters, 'organization_id'],
    ['resource'],
  );
}

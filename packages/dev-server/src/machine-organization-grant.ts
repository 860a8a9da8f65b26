import type Provider from 'oidc-provider';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import instance from 'oidc-provider/lib/helpers/weak_cache.js';
import { type Directory, organizationResource } from './directory.js';

/**
 * Adds Logto's `organization_id` parameter to the `client_credentials` grant (Logto RFC 0006,
 * `packages/core/src/oidc/grants/client-credentials.ts`):
 * - a machine app that is not a member of the organization gets 403 `access_denied` "app has not
 *   associated with the organization", with or without `resource`;
 * - without `resource`, it issues an organization token (`aud = urn:logto:organization:<id>`,
 *   the requested scopes that the app's organization roles there grant), through the reserved
 *   organizations resource;
 * - with `resource`, an API token with the API scopes of the app's organization roles there and
 *   an `organization_id` claim (see `resourceServerInfo` and `extraTokenClaims` in `provider.ts`).
 */
export function addMachineOrganizationGrant(provider: Provider, directory: Directory): void {
  const internals = instance(provider);
  const original = internals.grantTypeHandlers.get('client_credentials');
  const parameters = internals.grantTypeParams.get('client_credentials');
  if (!original || !parameters) {
    throw new Error('oidc-provider has no client_credentials grant to extend');
  }

  const handler = async (ctx: KoaContextWithOIDC): Promise<void> => {
    const params = ctx.oidc.params as Record<string, unknown>;
    const organizationId = params.organization_id;
    if (typeof organizationId !== 'string' || organizationId === '') return original(ctx);
    const appId = ctx.oidc.client?.clientId;
    if (!appId || !directory.isMachineMember(appId, organizationId)) {
      const error = new errors.AccessDenied('app has not associated with the organization');
      error.status = 403;
      error.statusCode = 403;
      throw error;
    }
    if (!params.resource) params.resource = organizationResource;
    return original(ctx);
  };

  provider.registerGrantType(
    'client_credentials',
    handler,
    [...parameters, 'organization_id'],
    ['resource'],
  );
}

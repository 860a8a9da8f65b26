/**
 * The guard's second question: the user is signed in, but may they see this? Roles from the ID
 * token's `roles` claim, organization membership and roles from `organizations` and
 * `organization_roles`, scopes from an API access token, then the app's own `check`.
 *
 * @module
 */
import type { IdTokenClaims, UserInfo } from '../claims.js';
import type { LogtoClient } from '../client.js';
import type { GuardOptions } from './request-types.js';

/** Whether `options` asks anything beyond "signed in". */
export function asksAuthorization(options: GuardOptions): boolean {
  return (
    options.roles !== undefined ||
    options.organization !== undefined ||
    options.organizationRoles !== undefined ||
    options.scopes !== undefined ||
    options.check !== undefined
  );
}

/**
 * Whether the signed-in `user` passes every rule of `options` (all of them). Scopes need an API
 * access token: the cached one, or one refresh (a provider failure throws its error).
 *
 * @example
 * ```ts
 * if (!(await isAuthorized(user, { roles: ['admin'] }, client))) return forbidden();
 * ```
 */
export async function isAuthorized(
  user: IdTokenClaims | UserInfo,
  options: GuardOptions,
  client: LogtoClient,
): Promise<boolean> {
  const { roles, organization, organizationRoles, scopes, resource, check } = options;
  if (roles && !roles.every((role) => user.roles?.includes(role))) return false;
  if (organization !== undefined) {
    if (!user.organizations?.includes(organization)) return false;
    const held = user.organization_roles ?? [];
    if (
      organizationRoles &&
      !organizationRoles.every((role) => held.includes(`${organization}:${role}`))
    ) {
      return false;
    }
  }
  if (scopes && scopes.length > 0) {
    const target = resource ?? client.config.resources.find((r) => !r.startsWith('urn:'));
    if (!target) {
      throw new TypeError('authenticated({ scopes }) needs a resource (or one in the config).');
    }
    const claims = await client.getAccessTokenClaims(target);
    const granted = (claims.scope ?? '').split(' ');
    if (!scopes.every((scope) => granted.includes(scope))) return false;
  }
  return check ? (await check(user)) === true : true;
}

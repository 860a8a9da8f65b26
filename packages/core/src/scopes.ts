/**
 * Logto's scopes, reserved resources and organization URNs.
 *
 * @module
 */

/**
 * Every scope a Logto tenant supports for signing users in, with the claims each one unlocks.
 * Plain strings work too; these constants only save typos.
 *
 * @example
 * ```ts
 * new LogtoClient(
 *   { endpoint, appId, scopes: [UserInfoScope.Email, UserInfoScope.Organizations] },
 *   { storage },
 * );
 * ```
 */
export const UserInfoScope = {
  /** `sub`. Always requested. */
  Openid: 'openid',
  /** A refresh token. Always requested. */
  OfflineAccess: 'offline_access',
  /** `name`, `username`, `picture`, `created_at`, `updated_at`, … Always requested. */
  Profile: 'profile',
  /** `email`, `email_verified`. */
  Email: 'email',
  /** `phone_number`, `phone_number_verified`. */
  Phone: 'phone',
  /** `address`. */
  Address: 'address',
  /** `custom_data` (userinfo only). */
  CustomData: 'custom_data',
  /** `identities`, `sso_identities` (userinfo only). */
  Identities: 'identities',
  /** `roles`. */
  Roles: 'roles',
  /** `organizations` (and `organization_data` in userinfo); allows organization tokens. */
  Organizations: 'urn:logto:scope:organizations',
  /** `organization_roles`. */
  OrganizationRoles: 'urn:logto:scope:organization_roles',
} as const;

/** One of the {@link UserInfoScope} values. */
export type UserInfoScope = (typeof UserInfoScope)[keyof typeof UserInfoScope];

/**
 * The scopes every sign-in requests, added once to the configured ones.
 *
 * @example
 * ```ts
 * DEFAULT_SCOPES; // ['openid', 'offline_access', 'profile']
 * ```
 */
export const DEFAULT_SCOPES: readonly string[] = Object.freeze([
  UserInfoScope.Openid,
  UserInfoScope.OfflineAccess,
  UserInfoScope.Profile,
]);

/**
 * Resource indicators Logto reserves.
 *
 * @example
 * ```ts
 * ReservedResource.Organization; // 'urn:logto:resource:organizations'
 * ```
 */
export const ReservedResource = {
  /** The organization template resource, added automatically with the organizations scope. */
  Organization: 'urn:logto:resource:organizations',
} as const;

/** One of the {@link ReservedResource} values. */
export type ReservedResource = (typeof ReservedResource)[keyof typeof ReservedResource];

/**
 * The prefix of an organization token's audience.
 *
 * @example
 * ```ts
 * claims.aud.startsWith(ORGANIZATION_URN_PREFIX);
 * ```
 */
export const ORGANIZATION_URN_PREFIX = 'urn:logto:organization:';

/**
 * The audience URN of an organization token: `urn:logto:organization:<id>`.
 *
 * @example
 * ```ts
 * buildOrganizationUrn('org_1'); // 'urn:logto:organization:org_1'
 * ```
 */
export function buildOrganizationUrn(organizationId: string): string {
  return `${ORGANIZATION_URN_PREFIX}${organizationId}`;
}

/**
 * The organization ID inside an organization URN. Throws a `TypeError` for anything else.
 *
 * @example
 * ```ts
 * getOrganizationIdFromUrn('urn:logto:organization:org_1'); // 'org_1'
 * ```
 */
export function getOrganizationIdFromUrn(urn: string): string {
  if (!urn.startsWith(ORGANIZATION_URN_PREFIX) || urn.length === ORGANIZATION_URN_PREFIX.length) {
    throw new TypeError('Invalid organization URN.');
  }
  return urn.slice(ORGANIZATION_URN_PREFIX.length);
}

import type { Seed } from './seed.js';

type User = Seed['users'][number];
type Organization = Seed['organizations'][number];

/** The reserved resource of organization scopes (Logto's `ReservedResource.Organization`). */
export const organizationResource = 'urn:logto:resource:organizations';
/** The audience of an organization token: `urn:logto:organization:<id>`. */
export const organizationUrn = (id: string): string => `urn:logto:organization:${id}`;

/** Claims that Logto returns only from `/oidc/me`, never in the ID token. */
const userinfoOnlyClaims = new Set([
  'custom_data',
  'identities',
  'sso_identities',
  'organization_data',
]);

/** Logto's scope → claims mapping (`@logto/core-kit` `openid.ts`). */
export const scopeClaims: Record<string, string[]> = {
  openid: ['sub'],
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
    'username',
    'created_at',
  ],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  address: ['address'],
  custom_data: ['custom_data'],
  identities: ['identities', 'sso_identities'],
  roles: ['roles'],
  'urn:logto:scope:organizations': ['organizations', 'organization_data'],
  'urn:logto:scope:organization_roles': ['organization_roles'],
};

/**
 * Read-only queries over the seed: users, roles, organizations and the scopes they grant.
 * Built once per server; the seed is never mutated.
 */
export class Directory {
  readonly #users = new Map<string, User>();
  readonly #usersByName = new Map<string, User>();
  readonly #organizations = new Map<string, Organization>();

  constructor(readonly seed: Seed) {
    for (const user of seed.users) {
      this.#users.set(user.id, user);
      this.#usersByName.set(user.username.toLowerCase(), user);
    }
    for (const org of seed.organizations) this.#organizations.set(org.id, org);
  }

  user(id: string): User | undefined {
    return this.#users.get(id);
  }

  userByUsername(username: string): User | undefined {
    return this.#usersByName.get(username.trim().toLowerCase());
  }

  application(id: string): Seed['applications'][number] | undefined {
    return this.seed.applications.find((app) => app.id === id);
  }

  resource(indicator: string): Seed['resources'][number] | undefined {
    return this.seed.resources.find((resource) => resource.indicator === indicator);
  }

  /** Organizations the user belongs to, with the user's organization roles in each. */
  memberships(userId: string): { organization: Organization; roles: string[] }[] {
    const out: { organization: Organization; roles: string[] }[] = [];
    for (const organization of this.seed.organizations) {
      const member = organization.members.find((m) => m.userId === userId);
      if (member) out.push({ organization, roles: member.roles });
    }
    return out;
  }

  isMember(userId: string, organizationId: string): boolean {
    return this.memberships(userId).some((m) => m.organization.id === organizationId);
  }

  /** The organization roles of a machine app in an organization, or `undefined` if not a member. */
  machineRoles(appId: string, organizationId: string): string[] | undefined {
    return this.#organizations
      .get(organizationId)
      ?.applications.find((member) => member.appId === appId)?.roles;
  }

  isMachineMember(appId: string, organizationId: string): boolean {
    return this.machineRoles(appId, organizationId) !== undefined;
  }

  /**
   * What a machine app's organization roles grant it in an organization: organization scopes
   * (no `indicator`), or API scopes on `indicator`.
   */
  machineOrganizationScopes(
    appId: string,
    organizationId: string,
    indicator?: string,
  ): Set<string> {
    const scopes = new Set<string>();
    for (const roleName of this.machineRoles(appId, organizationId) ?? []) {
      const role = this.seed.organizationRoles.find((r) => r.name === roleName);
      const granted = indicator === undefined ? role?.scopes : role?.resourceScopes[indicator];
      for (const scope of granted ?? []) scopes.add(scope);
    }
    return scopes;
  }

  /** Organization scopes the user holds: in one organization, or across all of them. */
  organizationScopes(userId: string, organizationId?: string): Set<string> {
    const scopes = new Set<string>();
    for (const { organization, roles } of this.memberships(userId)) {
      if (organizationId !== undefined && organization.id !== organizationId) continue;
      for (const roleName of roles) {
        const role = this.seed.organizationRoles.find((r) => r.name === roleName);
        for (const scope of role?.scopes ?? []) scopes.add(scope);
      }
    }
    return scopes;
  }

  /**
   * API scopes the user holds on a resource: from global roles, plus organization roles (all
   * organizations, or only `organizationId`'s — and then only those — as Logto narrows them).
   */
  resourceScopes(userId: string, indicator: string, organizationId?: string): Set<string> {
    const scopes = new Set<string>();
    const user = this.user(userId);
    if (!user) return scopes;
    if (organizationId === undefined) {
      for (const roleName of user.roles) {
        const role = this.seed.roles.find((r) => r.name === roleName);
        for (const scope of role?.scopes[indicator] ?? []) scopes.add(scope);
      }
    }
    for (const { organization, roles } of this.memberships(userId)) {
      if (organizationId !== undefined && organization.id !== organizationId) continue;
      for (const roleName of roles) {
        const role = this.seed.organizationRoles.find((r) => r.name === roleName);
        for (const scope of role?.resourceScopes[indicator] ?? []) scopes.add(scope);
      }
    }
    return scopes;
  }

  /** Every claim Logto knows about the user, in its wire form (snake_case, ms timestamps). */
  claims(userId: string): Record<string, unknown> {
    const user = this.user(userId);
    if (!user) return { sub: userId };
    const memberships = this.memberships(userId);
    return {
      ...user.profile,
      sub: user.id,
      name: user.name,
      picture: user.avatar,
      username: user.username,
      created_at: user.createdAt ?? 0,
      updated_at: user.updatedAt ?? user.createdAt ?? 0,
      email: user.email,
      email_verified: Boolean(user.email),
      phone_number: user.phone,
      phone_number_verified: Boolean(user.phone),
      custom_data: user.customData,
      identities: user.identities,
      sso_identities: [],
      roles: user.roles,
      organizations: memberships.map((m) => m.organization.id),
      organization_data: memberships.map(({ organization }) => ({
        id: organization.id,
        name: organization.name,
        description: organization.description,
      })),
      organization_roles: memberships.flatMap(({ organization, roles }) =>
        roles.map((role) => `${organization.id}:${role}`),
      ),
    };
  }

  /** The claims for one use: the ID token leaves out Logto's userinfo-only claims. */
  claimsFor(userId: string, use: 'id_token' | 'userinfo'): Record<string, unknown> {
    const claims = this.claims(userId);
    if (use === 'userinfo') return claims;
    return Object.fromEntries(
      Object.entries(claims).filter(([name]) => !userinfoOnlyClaims.has(name)),
    );
  }
}

import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const absoluteUri = z
  .string()
  .refine(
    (value) => URL.canParse(value) && !value.includes('#'),
    'must be an absolute URI with no fragment',
  );

const httpUrl = z
  .string()
  .refine(
    (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
    'must be an http(s) URL',
  );

const seconds = z.number().int().positive();

/** An application (OIDC client), as in Logto's Console. */
const applicationSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().default('Application'),
    /**
     * `traditional` is a confidential web app; `spa` and `native` are public clients (PKCE);
     * `machine` is a machine-to-machine app (client credentials only, no redirect URIs).
     */
    type: z.enum(['traditional', 'spa', 'native', 'machine']).default('traditional'),
    secret: z.string().min(1).optional(),
    redirectUris: z.array(httpUrl).default([]),
    postLogoutRedirectUris: z.array(httpUrl).default([]),
    backchannelLogoutUri: httpUrl.optional(),
    backchannelLogoutSessionRequired: z.boolean().default(true),
    /** First-party apps are consented automatically, as Logto does. */
    firstParty: z.boolean().default(true),
    /** A machine app's roles (names in `roles`): the API scopes its tokens may carry. */
    roles: z.array(z.string()).default([]),
  })
  .strict()
  .refine((app) => !['traditional', 'machine'].includes(app.type) || app.secret !== undefined, {
    message: 'a traditional or machine (confidential) application needs a secret',
    path: ['secret'],
  })
  .refine((app) => app.type === 'machine' || app.redirectUris.length > 0, {
    message: 'needs at least one redirect URI',
    path: ['redirectUris'],
  });

const userSchema = z
  .object({
    id: z.string().min(1),
    username: z.string().min(1),
    password: z.string().min(1),
    name: z.string().nullable().default(null),
    avatar: z.string().nullable().default(null),
    email: z.string().nullable().default(null),
    phone: z.string().nullable().default(null),
    /** Other OIDC profile claims in snake_case (`given_name`, `locale`, `address`, …). */
    profile: z.record(z.string(), z.unknown()).default({}),
    customData: z.record(z.string(), z.unknown()).default({}),
    identities: z.record(z.string(), z.unknown()).default({}),
    /** Names of global roles. */
    roles: z.array(z.string()).default([]),
    /** Epoch milliseconds, as Logto's `created_at` / `updated_at`. */
    createdAt: z.number().int().optional(),
    updatedAt: z.number().int().optional(),
  })
  .strict();

const resourceSchema = z
  .object({
    indicator: absoluteUri,
    name: z.string().default('API'),
    scopes: z.array(z.string().min(1)).default([]),
    accessTokenTtl: seconds.optional(),
  })
  .strict();

const roleSchema = z
  .object({
    name: z.string().min(1),
    /** Resource indicator → the scopes this role grants on it. */
    scopes: z.record(absoluteUri, z.array(z.string())).default({}),
  })
  .strict();

const organizationRoleSchema = z
  .object({
    name: z.string().min(1),
    /** Organization scopes (permissions), e.g. `read:projects`. */
    scopes: z.array(z.string().min(1)).default([]),
    /** Resource indicator → API scopes this organization role grants inside the organization. */
    resourceScopes: z.record(absoluteUri, z.array(z.string())).default({}),
  })
  .strict();

const organizationSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    description: z.string().nullable().default(null),
    members: z
      .array(z.object({ userId: z.string(), roles: z.array(z.string()).default([]) }).strict())
      .default([]),
    /**
     * Machine-to-machine apps of the organization, with their organization roles: what their
     * client-credentials organization tokens (`organization_id`) may carry.
     */
    applications: z
      .array(z.object({ appId: z.string(), roles: z.array(z.string()).default([]) }).strict())
      .default([]),
  })
  .strict();

const signingKeySchema = z
  .object({
    kty: z.string(),
    crv: z.string().optional(),
    d: z.string(),
    kid: z.string().optional(),
  })
  .passthrough();

/** The seed file: everything the dev server knows. */
export const seedSchema = z
  .object({
    applications: z.array(applicationSchema).min(1),
    users: z.array(userSchema).default([]),
    resources: z.array(resourceSchema).default([]),
    roles: z.array(roleSchema).default([]),
    organizationRoles: z.array(organizationRoleSchema).default([]),
    organizations: z.array(organizationSchema).default([]),
    ttl: z
      .object({
        idToken: seconds.default(3600),
        accessToken: seconds.default(3600),
        refreshToken: seconds.default(14 * 24 * 3600),
        session: seconds.default(14 * 24 * 3600),
        grant: seconds.default(180 * 24 * 3600),
      })
      .strict()
      .default({
        idToken: 3600,
        accessToken: 3600,
        refreshToken: 14 * 24 * 3600,
        session: 14 * 24 * 3600,
        grant: 180 * 24 * 3600,
      }),
    /**
     * `logto`: Logto's policy (a refresh token consumed less than 3 s ago is still accepted;
     * public clients rotate on every use, confidential clients after 70 % of the token's life).
     * `strict`: rotate on every use and revoke the whole grant on any reuse.
     */
    refreshTokenRotation: z.enum(['logto', 'strict']).default('logto'),
    /** Private JWKs (P-384 for Logto's ES384) to sign with; generated at start when absent. */
    signingKeys: z.array(signingKeySchema).optional(),
  })
  .strict()
  .superRefine((seed, ctx) => {
    const unique = (values: string[], path: string): void => {
      const seen = new Set<string>();
      for (const value of values) {
        if (seen.has(value))
          ctx.addIssue({ code: 'custom', path: [path], message: `duplicate "${value}"` });
        seen.add(value);
      }
    };
    unique(
      seed.applications.map((a) => a.id),
      'applications',
    );
    unique(
      seed.users.map((u) => u.id),
      'users',
    );
    unique(
      seed.users.map((u) => u.username),
      'users',
    );
    unique(
      seed.resources.map((r) => r.indicator),
      'resources',
    );
    unique(
      seed.organizations.map((o) => o.id),
      'organizations',
    );

    const roles = new Set(seed.roles.map((r) => r.name));
    const orgRoles = new Set(seed.organizationRoles.map((r) => r.name));
    const users = new Set(seed.users.map((u) => u.id));
    const machineApps = new Set(
      seed.applications.filter((a) => a.type === 'machine').map((a) => a.id),
    );
    const resources = new Map(seed.resources.map((r) => [r.indicator, new Set(r.scopes)]));

    seed.applications.forEach((app, i) => {
      for (const role of app.roles) {
        if (!roles.has(role))
          ctx.addIssue({
            code: 'custom',
            path: ['applications', i, 'roles'],
            message: `unknown role "${role}"`,
          });
      }
    });
    seed.users.forEach((user, i) => {
      for (const role of user.roles) {
        if (!roles.has(role))
          ctx.addIssue({
            code: 'custom',
            path: ['users', i, 'roles'],
            message: `unknown role "${role}"`,
          });
      }
    });
    const checkScopes = (grants: Record<string, string[]>, path: (string | number)[]): void => {
      for (const [indicator, scopes] of Object.entries(grants)) {
        const known = resources.get(indicator);
        if (!known) {
          ctx.addIssue({ code: 'custom', path, message: `unknown resource "${indicator}"` });
          continue;
        }
        for (const scope of scopes) {
          if (!known.has(scope))
            ctx.addIssue({
              code: 'custom',
              path,
              message: `resource "${indicator}" has no scope "${scope}"`,
            });
        }
      }
    };
    seed.roles.forEach((role, i) => {
      checkScopes(role.scopes, ['roles', i, 'scopes']);
    });
    seed.organizationRoles.forEach((role, i) => {
      checkScopes(role.resourceScopes, ['organizationRoles', i, 'resourceScopes']);
    });
    seed.organizations.forEach((org, i) => {
      org.applications.forEach((member, j) => {
        if (!machineApps.has(member.appId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['organizations', i, 'applications', j],
            message: `"${member.appId}" is not a machine application`,
          });
        }
        for (const role of member.roles) {
          if (!orgRoles.has(role)) {
            ctx.addIssue({
              code: 'custom',
              path: ['organizations', i, 'applications', j],
              message: `unknown organization role "${role}"`,
            });
          }
        }
      });
      org.members.forEach((member, j) => {
        if (!users.has(member.userId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['organizations', i, 'members', j],
            message: `unknown user "${member.userId}"`,
          });
        }
        for (const role of member.roles) {
          if (!orgRoles.has(role)) {
            ctx.addIssue({
              code: 'custom',
              path: ['organizations', i, 'members', j],
              message: `unknown organization role "${role}"`,
            });
          }
        }
      });
    });
  });

/** A validated seed, with every default filled in. */
export type Seed = z.output<typeof seedSchema>;
/** What a seed file may contain (defaults may be left out). */
export type SeedInput = z.input<typeof seedSchema>;

/** A seed that does not validate; the message lists every problem with its path. */
export class SeedError extends Error {
  override readonly name = 'SeedError';
}

/**
 * Validates a seed and fills in the defaults.
 *
 * @example
 * const seed = parseSeed({ applications: [{ id: 'app', secret: 's', redirectUris: ['http://localhost:3000/callback'] }] });
 */
export function parseSeed(input: unknown): Seed {
  const result = seedSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new SeedError(`Invalid seed:\n${lines.join('\n')}`);
  }
  return result.data;
}

/**
 * Reads and validates a JSON seed file.
 *
 * @example
 * const seed = await loadSeedFile('./logto-dev.seed.json');
 */
export async function loadSeedFile(path: string): Promise<Seed> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new SeedError(`Cannot read the seed file ${path}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new SeedError(`The seed file ${path} is not valid JSON`, { cause });
  }
  return parseSeed(json);
}

/** The demo app's id, secret and user, also printed at start. */
export const demo = {
  appId: 'logto-kit-demo',
  appSecret: 'logto-kit-demo-secret-for-local-development-only',
  publicAppId: 'logto-kit-demo-spa',
  username: 'demo',
  password: 'demo-password',
  resource: 'https://api.example.com',
  organizationId: 'acme',
  machineAppId: 'logto-kit-demo-m2m',
  machineAppSecret: 'logto-kit-demo-m2m-secret-for-local-development-only',
} as const;

/**
 * The built-in seed that serves the example app at `http://localhost:3000`: a confidential app
 * and a public one, a demo user with an email, custom data, one organization and one API resource.
 * The confidential app registers `<appBaseUrl>/backchannel-logout` unless `backchannelLogout` is
 * `false` (an app keeping sessions in cookies answers it with 400, as it cannot end them).
 *
 * @example
 * const idp = await startDevServer({ seed: defaultSeed({ appBaseUrl: 'http://localhost:4000' }) });
 */
export function defaultSeed(
  options: { appBaseUrl?: string; backchannelLogout?: boolean } = {},
): SeedInput {
  const base = (options.appBaseUrl ?? 'http://localhost:3000').replace(/\/+$/, '');
  const createdAt = Date.UTC(2026, 0, 1);
  return {
    applications: [
      {
        id: demo.appId,
        name: 'logto-kit example',
        type: 'traditional',
        secret: demo.appSecret,
        // `/auth/callback`: where @logto-kit/next's catch-all auth route receives it.
        redirectUris: [`${base}/callback`, `${base}/auth/callback`],
        postLogoutRedirectUris: [`${base}/`],
        ...(options.backchannelLogout !== false && {
          backchannelLogoutUri: `${base}/backchannel-logout`,
        }),
      },
      {
        id: demo.publicAppId,
        name: 'logto-kit public client',
        type: 'spa',
        redirectUris: [`${base}/callback`],
        postLogoutRedirectUris: [`${base}/`],
      },
      {
        id: demo.machineAppId,
        name: 'logto-kit machine-to-machine',
        type: 'machine',
        secret: demo.machineAppSecret,
        roles: ['api-reader'],
      },
    ],
    users: [
      {
        id: 'demo-user-01',
        username: demo.username,
        password: demo.password,
        name: 'Demo User',
        email: 'demo@example.com',
        phone: '14155550100',
        profile: { given_name: 'Demo', family_name: 'User', locale: 'en' },
        customData: { plan: 'pro' },
        identities: {},
        roles: ['reader'],
        createdAt,
        updatedAt: createdAt,
      },
      {
        id: 'bob-user-002',
        username: 'bob',
        password: 'bob-password',
        name: 'Bob',
        email: 'bob@example.com',
        createdAt,
        updatedAt: createdAt,
      },
    ],
    resources: [{ indicator: demo.resource, name: 'Example API', scopes: ['read', 'write'] }],
    roles: [
      { name: 'reader', scopes: { [demo.resource]: ['read'] } },
      { name: 'api-reader', scopes: { [demo.resource]: ['read'] } },
    ],
    organizationRoles: [{ name: 'member', scopes: ['read:projects'] }],
    organizations: [
      {
        id: demo.organizationId,
        name: 'Acme',
        description: 'The demo organization',
        members: [{ userId: 'demo-user-01', roles: ['member'] }],
        applications: [{ appId: demo.machineAppId, roles: ['member'] }],
      },
      { id: 'globex', name: 'Globex', members: [] },
    ],
  };
}

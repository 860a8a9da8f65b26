/**
 * Typed, validated claims: the ID token, access tokens and the userinfo response.
 *
 * Unknown claims are kept. A claim that was not requested is absent; one that was requested but
 * is empty is `null` (what Logto sends, e.g. `picture: null`).
 *
 * @module
 */
import { z } from 'zod';

const optionalString = z.string().nullish();
const optionalBoolean = z.boolean().nullish();
const optionalNumber = z.number().nullish();
const optionalStringArray = z.array(z.string()).nullish();

/** Profile claims shared by the ID token and userinfo (`profile`, `email`, `phone`, …). */
const profileClaims = {
  sub: z.string().min(1),
  name: optionalString,
  username: optionalString,
  picture: optionalString,
  family_name: optionalString,
  given_name: optionalString,
  middle_name: optionalString,
  nickname: optionalString,
  preferred_username: optionalString,
  profile: optionalString,
  website: optionalString,
  gender: optionalString,
  birthdate: optionalString,
  zoneinfo: optionalString,
  locale: optionalString,
  /** Milliseconds since the epoch (Logto). */
  created_at: optionalNumber,
  /** Milliseconds since the epoch (Logto). */
  updated_at: optionalNumber,
  email: optionalString,
  email_verified: optionalBoolean,
  phone_number: optionalString,
  phone_number_verified: optionalBoolean,
  address: z.record(z.string(), z.unknown()).nullish(),
  roles: optionalStringArray,
  organizations: optionalStringArray,
  organization_roles: optionalStringArray,
};

/**
 * The schema of the ID token claims.
 *
 * @example
 * ```ts
 * const claims = idTokenClaimsSchema.parse(decodeJwt(idToken));
 * ```
 */
export const idTokenClaimsSchema = z.looseObject({
  ...profileClaims,
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
  iat: z.number(),
  azp: z.string().optional(),
  nonce: z.string().optional(),
  at_hash: z.string().optional(),
  auth_time: z.number().optional(),
  sid: z.string().optional(),
});

/**
 * The claims of a verified ID token.
 *
 * @example
 * ```ts
 * const { sub, email } = await client.getIdTokenClaims();
 * ```
 */
export type IdTokenClaims = z.infer<typeof idTokenClaimsSchema>;

/**
 * The schema of a JWT access token (API resource or organization token).
 *
 * @example
 * ```ts
 * const claims = accessTokenClaimsSchema.parse(decodeJwt(accessToken));
 * ```
 */
export const accessTokenClaimsSchema = z.looseObject({
  iss: z.string(),
  sub: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
  iat: z.number(),
  /** Space-separated granted scopes; `''` when none. */
  scope: z.string().optional(),
  client_id: z.string().optional(),
  jti: z.string().optional(),
  /** Present on organization-scoped API tokens. */
  organization_id: z.string().optional(),
});

/**
 * The claims of an access token for an API resource (`aud` = the resource) or an organization
 * (`aud` = `urn:logto:organization:<id>`).
 *
 * @example
 * ```ts
 * const { scope } = await client.getAccessTokenClaims('https://api.example.com');
 * ```
 */
export type AccessTokenClaims = z.infer<typeof accessTokenClaimsSchema>;

/** One linked social identity in `identities`. */
const userIdentitySchema = z.looseObject({
  userId: z.string(),
  details: z.record(z.string(), z.unknown()).nullish(),
});

/**
 * The schema of Logto's userinfo response (`/oidc/me`).
 *
 * @example
 * ```ts
 * const userInfo = userInfoSchema.parse(await response.json());
 * ```
 */
export const userInfoSchema = z.looseObject({
  ...profileClaims,
  custom_data: z.unknown().optional(),
  identities: z.record(z.string(), userIdentitySchema).nullish(),
  sso_identities: z.array(z.record(z.string(), z.unknown())).nullish(),
  organization_data: z
    .array(
      z.looseObject({ id: z.string(), name: z.string().nullish(), description: optionalString }),
    )
    .nullish(),
});

/**
 * The userinfo response: the ID token's profile claims plus the ones only userinfo returns
 * (`custom_data`, `identities`, `sso_identities`, `organization_data`).
 *
 * @example
 * ```ts
 * const { custom_data } = await client.fetchUserInfo();
 * ```
 */
export type UserInfo = z.infer<typeof userInfoSchema>;

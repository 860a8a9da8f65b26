/**
 * The userinfo endpoint (`/oidc/me`): claims the ID token does not carry (`custom_data`,
 * `identities`, `organization_data`, …), for the signed-in user only.
 *
 * @module
 */
import * as oidc from 'openid-client';
import { type UserInfo, userInfoSchema } from './claims.js';
import type { LogtoConfig } from './config.js';
import type { ProviderMetadata } from './discovery.js';
import { UserInfoError } from './errors.js';
import { openidConfiguration, toLogtoError } from './lib/openid.js';
import { traced, urlAttribute } from './lib/telemetry.js';

/**
 * Calls the userinfo endpoint with an access token and checks that the answer is about
 * `expectedSubject` (the ID token's `sub`).
 *
 * @example
 * ```ts
 * const userInfo = await requestUserInfo(config, metadata, accessToken, idTokenClaims.sub);
 * ```
 */
export async function requestUserInfo(
  config: LogtoConfig,
  metadata: ProviderMetadata,
  accessToken: string,
  expectedSubject: string,
): Promise<UserInfo> {
  const url = metadata.userinfo_endpoint;
  return traced('logto.userinfo', url === undefined ? undefined : urlAttribute(url), async () => {
    const configuration = openidConfiguration(config, metadata);
    let body: unknown;
    try {
      body = await oidc.fetchUserInfo(configuration, accessToken, expectedSubject);
    } catch (error) {
      throw toLogtoError(error, 'userinfo', { config, url });
    }
    return processUserInfo(body, expectedSubject);
  });
}

/**
 * Validates a userinfo body: the schema, and `sub` equal to the signed-in user's.
 *
 * @example
 * ```ts
 * const userInfo = processUserInfo(await response.json(), claims.sub);
 * ```
 */
export function processUserInfo(body: unknown, expectedSubject: string): UserInfo {
  const parsed = userInfoSchema.safeParse(body);
  if (!parsed.success) {
    throw new UserInfoError('invalid_response', 'The userinfo response is invalid.', {
      cause: parsed.error,
    });
  }
  if (parsed.data.sub !== expectedSubject) {
    throw new UserInfoError('subject_mismatch', 'The userinfo subject is not the signed-in user.');
  }
  return parsed.data;
}

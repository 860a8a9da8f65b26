// Access tokens the real dev server signs, for the resource-server tests: a headless sign-in of
// the demo user (or another seeded user), then the tokens a web app would hold.
import { LogtoClient, MemoryStorage, UserInfoScope } from '@logto-kit/core';
import { completeSignIn, type DevServer, demo } from '@logto-kit/dev-server';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';

export interface UserTokens {
  /** A JWT for the demo API (`demo.resource`). */
  api: string;
  /** An opaque token (no resource), as `/oidc/me` takes. */
  opaque: string;
  /** An organization-scoped API token for `demo.organizationId` (members only). */
  organizationApi: () => Promise<string>;
  /** An organization token (`aud` = `urn:logto:organization:<id>`). */
  organization: () => Promise<string>;
}

/** Signs a user in headlessly and returns the tokens of the demo API. */
export async function userTokens(
  idp: DevServer,
  credentials = { username: demo.username, password: demo.password },
): Promise<UserTokens> {
  const client = new LogtoClient(
    {
      endpoint: idp.endpoint,
      appId: demo.appId,
      appSecret: demo.appSecret,
      scopes: [UserInfoScope.Organizations, 'read', 'read:projects'],
      resources: [demo.resource],
      logger: false,
    },
    { storage: new MemoryStorage() },
  );
  const url = await client.signIn({ redirectUri: 'http://localhost:3000/callback' });
  await client.handleSignInCallback(await completeSignIn(url, credentials));
  return {
    api: await client.getAccessToken(demo.resource),
    opaque: await client.getAccessToken(),
    organizationApi: () =>
      client.getAccessToken(demo.resource, { organizationId: demo.organizationId }),
    organization: () => client.getOrganizationToken(demo.organizationId),
  };
}

/** A machine-to-machine token of the seeded machine app, straight from the token endpoint. */
export async function machineToken(
  idp: DevServer,
  resource: string = demo.resource,
): Promise<string> {
  const response = await fetch(`${idp.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${demo.machineAppId}:${demo.machineAppSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'read write' }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || !body.access_token) {
    throw new Error(`client_credentials failed with ${response.status}`);
  }
  return body.access_token;
}

/**
 * `token`'s header and claims signed by a key the provider never published, naming `kid`: what
 * an attacker making up key ids sends.
 */
export async function signedByUnknownKey(token: string, kid: string): Promise<string> {
  const { privateKey } = await generateKeyPair('ES384');
  return new SignJWT(decodeJwt(token))
    .setProtectedHeader({ ...decodeProtectedHeader(token), alg: 'ES384', kid })
    .sign(privateKey);
}

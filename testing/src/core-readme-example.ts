/**
 * The README's "Use the client directly" example, as code a test runs (`@logto-kit/core`'s
 * readme.test.ts checks that its README shows exactly the lines between the markers).
 */

import { LogtoClient, MemoryStorage, UserInfoScope } from '@logto-kit/core';
import { completeSignIn, demo } from '@logto-kit/dev-server';

export async function useTheClientDirectly(endpoint: string): Promise<Record<string, unknown>> {
  // README:start
  const client = new LogtoClient(
    {
      endpoint, // e.g. 'http://localhost:3001' for `npx logto-dev`
      appId: demo.appId,
      appSecret: demo.appSecret,
      scopes: [UserInfoScope.Email, UserInfoScope.CustomData, UserInfoScope.Organizations, 'read'],
      resources: ['https://api.example.com'],
    },
    { storage: new MemoryStorage() }, // in a web app: the user's session
  );

  // 1. Send the user to Logto.
  const signInUrl = await client.signIn({ redirectUri: 'http://localhost:3000/callback' });

  // 2. Logto sends the browser back to the redirect URI. Here the dev server's headless
  //    user plays the browser; in an app, this is the request your callback route gets.
  const callbackUrl = await completeSignIn(signInUrl, {
    username: 'demo',
    password: 'demo-password',
  });
  await client.handleSignInCallback(callbackUrl);

  // 3. Who is it? What may they do?
  const claims = await client.getIdTokenClaims(); // verified ID token, no network
  const userInfo = await client.fetchUserInfo(); // custom_data, identities, …
  const apiToken = await client.getAccessToken('https://api.example.com');
  const organizationToken = await client.getOrganizationToken(claims.organizations?.[0] ?? '');

  // 4. Sign out: tokens forgotten, refresh token revoked; redirect the browser here.
  const signOutUrl = await client.signOut('http://localhost:3000/');
  // README:end
  return { claims, userInfo, apiToken, organizationToken, signOutUrl };
}

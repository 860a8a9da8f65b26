/** A `LogtoClient` for {@link TestProvider}, and whole sign-ins against it. */
import { LogtoClient, type LogtoClientConfig, MemoryStorage } from '@logto-kit/core';
import type { TestProvider } from './test-provider.js';

export const REDIRECT_URI = 'http://localhost:3000/callback';
export const API_RESOURCE = 'https://api.example.com';

/** A client configured for the test provider, with its own memory storage. */
export function clientFor(
  provider: TestProvider,
  overrides: Partial<LogtoClientConfig> = {},
  storage: MemoryStorage = new MemoryStorage(),
): { client: LogtoClient; storage: MemoryStorage } {
  const config: LogtoClientConfig = {
    endpoint: provider.endpoint,
    appId: provider.clientId,
    ...(provider.clientSecret ? { appSecret: provider.clientSecret } : {}),
    resources: [API_RESOURCE],
    scopes: ['urn:logto:scope:organizations'],
    ...overrides,
  };
  return { client: new LogtoClient(config, { storage }), storage };
}

/** Runs a whole sign-in: signIn → provider → handleSignInCallback. */
export async function signInWith(
  provider: TestProvider,
  client: LogtoClient,
  sub = 'user_1',
): Promise<void> {
  const url = await client.signIn({ redirectUri: REDIRECT_URI });
  await client.handleSignInCallback(await provider.authorize(url, sub));
}

/** The callback URL for a fresh sign-in, without handling it. */
export async function callbackFor(
  provider: TestProvider,
  client: LogtoClient,
  sub = 'user_1',
): Promise<string> {
  const url = await client.signIn({ redirectUri: REDIRECT_URI });
  return provider.authorize(url, sub);
}

/**
 * Sign-in: the authorization URL (PKCE S256, `state`, `nonce`, Logto's sign-in extensions) and
 * the sign-in transaction to remember until the callback.
 *
 * @module
 */
import * as oidc from 'openid-client';
import type { LogtoConfig } from './config.js';
import type { SignInTransaction } from './sign-in-transaction.js';

/**
 * The first screen of Logto's sign-in experience.
 *
 * @example
 * ```ts
 * await client.signIn({ redirectUri, firstScreen: FirstScreen.IdentifierRegister });
 * ```
 */
export const FirstScreen = {
  SignIn: 'sign_in',
  Register: 'register',
  IdentifierSignIn: 'identifier:sign_in',
  IdentifierRegister: 'identifier:register',
  SingleSignOn: 'single_sign_on',
  ResetPassword: 'reset_password',
} as const;

/** One of the {@link FirstScreen} values. */
export type FirstScreen = (typeof FirstScreen)[keyof typeof FirstScreen];

/**
 * Identifiers shown on the identifier sign-in / register screens.
 *
 * @example
 * ```ts
 * await client.signIn({
 *   redirectUri,
 *   firstScreen: FirstScreen.IdentifierSignIn,
 *   identifiers: [SignInIdentifier.Email, SignInIdentifier.Username],
 * });
 * ```
 */
export const SignInIdentifier = {
  Username: 'username',
  Email: 'email',
  Phone: 'phone',
} as const;

/** One of the {@link SignInIdentifier} values. */
export type SignInIdentifier = (typeof SignInIdentifier)[keyof typeof SignInIdentifier];

/**
 * The legacy `interaction_mode` (prefer {@link FirstScreen}).
 *
 * @example
 * ```ts
 * await client.signIn({ redirectUri, interactionMode: 'signUp' });
 * ```
 */
export type InteractionMode = 'signIn' | 'signUp';

/**
 * Skip Logto's sign-in page and go straight to a social connector or an enterprise SSO
 * connector: `direct_sign_in=<method>:<target>`.
 *
 * @example
 * ```ts
 * await client.signIn({ redirectUri, directSignIn: { method: 'social', target: 'github' } });
 * ```
 */
export interface DirectSignInOptions {
  method: 'social' | 'sso';
  /** The social target (e.g. `google`) or the SSO connector ID. */
  target: string;
}

/**
 * Options of `client.signIn()`.
 *
 * @example
 * ```ts
 * const url = await client.signIn({ redirectUri: 'http://localhost:3000/callback' });
 * ```
 */
export interface SignInOptions {
  /** Where the provider sends the user back; registered in Logto. No query or fragment. */
  redirectUri: string;
  firstScreen?: FirstScreen | undefined;
  identifiers?: readonly SignInIdentifier[] | undefined;
  directSignIn?: DirectSignInOptions | undefined;
  /** Pre-fills the identifier (email, phone or username). */
  loginHint?: string | undefined;
  interactionMode?: InteractionMode | undefined;
  /** Overrides the configured `prompt` for this sign-in. */
  prompt?: string | readonly string[] | undefined;
  /** More query parameters (e.g. `ui_locales`, `organization_id`). */
  extraParams?: Readonly<Record<string, string>> | undefined;
}

/**
 * The per-sign-in random values the URL carries.
 *
 * @example
 * ```ts
 * const checks: SignInChecks = { state, nonce, codeChallenge };
 * ```
 */
export interface SignInChecks {
  state: string;
  nonce: string;
  codeChallenge: string;
}

/** Parameters `extraParams` may not override: they carry the security checks. */
const PROTECTED_PARAMS = new Set([
  'client_id',
  'redirect_uri',
  'response_type',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
]);

/**
 * Builds the authorization URL. Pure: no randomness, no network.
 *
 * @example
 * ```ts
 * const url = buildSignInUrl('https://tenant.logto.app/oidc/auth', config, checks, {
 *   redirectUri: 'http://localhost:3000/callback',
 * });
 * ```
 */
export function buildSignInUrl(
  authorizationEndpoint: string,
  config: LogtoConfig,
  checks: SignInChecks,
  options: SignInOptions,
): URL {
  const redirectUri = checkRedirectUri(options.redirectUri);
  const url = new URL(authorizationEndpoint);
  const params = url.searchParams;
  params.append('client_id', config.appId);
  params.append('redirect_uri', redirectUri);
  params.append('response_type', 'code');
  params.append('scope', config.scopes.join(' '));
  for (const resource of config.resources) params.append('resource', resource);
  params.append('prompt', [options.prompt ?? config.prompt].flat().join(' '));
  params.append('code_challenge', checks.codeChallenge);
  params.append('code_challenge_method', 'S256');
  params.append('state', checks.state);
  params.append('nonce', checks.nonce);
  if (options.interactionMode) params.append('interaction_mode', options.interactionMode);
  if (options.firstScreen) params.append('first_screen', options.firstScreen);
  if (options.identifiers?.length) params.append('identifier', options.identifiers.join(' '));
  if (options.directSignIn) {
    const { method, target } = options.directSignIn;
    if ((method !== 'social' && method !== 'sso') || !target) {
      throw new TypeError('directSignIn needs a method ("social" or "sso") and a target.');
    }
    params.append('direct_sign_in', `${method}:${target}`);
  }
  if (options.loginHint) params.append('login_hint', options.loginHint);
  for (const [key, value] of Object.entries(options.extraParams ?? {})) {
    if (PROTECTED_PARAMS.has(key)) {
      throw new TypeError(`extraParams cannot set "${key}".`);
    }
    if (value !== '') params.set(key, value);
  }
  return url;
}

/**
 * Starts a sign-in: fresh PKCE verifier, state and nonce, the URL to redirect to, and the
 * sign-in transaction to store until the callback.
 *
 * @example
 * ```ts
 * const { url, state, transaction } = await createSignInRequest(endpoint, config, options);
 * ```
 */
export async function createSignInRequest(
  authorizationEndpoint: string,
  config: LogtoConfig,
  options: SignInOptions,
): Promise<{ url: URL; state: string; transaction: SignInTransaction }> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeChallenge = await oidc.calculatePKCECodeChallenge(codeVerifier);
  const url = buildSignInUrl(
    authorizationEndpoint,
    config,
    { state, nonce, codeChallenge },
    options,
  );
  return {
    url,
    state,
    transaction: {
      redirectUri: checkRedirectUri(options.redirectUri),
      codeVerifier,
      nonce,
      createdAt: Date.now(),
    },
  };
}

function checkRedirectUri(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError('signIn() needs a redirectUri string.');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError('redirectUri must be an absolute URL.');
  }
  if (url.search || url.hash) {
    throw new TypeError('redirectUri must not have a query or a fragment.');
  }
  return url.href;
}

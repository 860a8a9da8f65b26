// Raw OAuth 2.0 / OIDC requests for the dev server's own tests: wire-level, no SDK in between.
import { createHash, randomBytes } from 'node:crypto';
import { type DevServer, demo } from '@logto-kit/dev-server';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';

export const redirectUri = 'http://localhost:3000/callback';

export interface AuthorizeOptions {
  clientId?: string;
  scope?: string;
  resources?: string[];
  prompt?: string;
  extra?: Record<string, string>;
}

export function authorizationRequest(idp: DevServer, options: AuthorizeOptions = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('base64url');
  const nonce = randomBytes(8).toString('base64url');
  const query = new URLSearchParams({
    client_id: options.clientId ?? demo.appId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: options.scope ?? 'openid offline_access profile',
    state,
    nonce,
    prompt: options.prompt ?? 'consent',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...options.extra,
  });
  for (const resource of options.resources ?? []) query.append('resource', resource);
  return { url: `${idp.issuer}/auth?${query}`, verifier, state, nonce };
}

export const basicAuth = (id: string = demo.appId, secret: string = demo.appSecret): string =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

export async function tokenRequest(
  idp: DevServer,
  body: Record<string, string>,
  auth: string | null = basicAuth(),
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${idp.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(auth ? { authorization: auth } : {}),
    },
    body: new URLSearchParams(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function exchangeCode(
  idp: DevServer,
  callbackUrl: string,
  verifier: string,
  extra: Record<string, string> = {},
  auth: string | null = basicAuth(),
) {
  const code = new URL(callbackUrl).searchParams.get('code');
  if (!code) throw new Error(`no code in ${callbackUrl}`);
  return tokenRequest(
    idp,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      ...extra,
    },
    auth,
  );
}

export async function verify(
  idp: DevServer,
  token: unknown,
): Promise<{ payload: JWTPayload; header: Record<string, unknown> }> {
  const jwks = createRemoteJWKSet(new URL(`${idp.issuer}/jwks`));
  const { payload, protectedHeader } = await jwtVerify(String(token), jwks, { issuer: idp.issuer });
  return { payload, header: protectedHeader as Record<string, unknown> };
}

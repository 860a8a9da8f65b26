/**
 * A tiny OpenID provider for tests that can misbehave on purpose: bad signatures, unknown or
 * missing `kid`, `alg: none`, HS256, wrong claims, key rotation, slow answers, rotating refresh
 * tokens with reuse detection, endpoints moved to other paths, extra (unparseable) keys in the
 * JWKS, and canned answers (HTTP 500, HTML) on any route. It speaks Logto's dialect where the client can see it (paths,
 * `resource=` / `organization_id=`, opaque default access token, JWT resource tokens).
 *
 * Used by `@logto-kit/core`'s tests, in-process; never published.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT, UnsecuredJWT } from 'jose';

/** Routes whose requests are counted and can be delayed. */
export type TestRoute =
  | 'discovery'
  | 'jwks'
  | 'authorization'
  | 'token'
  | 'userinfo'
  | 'revocation';

/** How the next ID tokens are signed. */
export type SigningMode =
  | 'normal'
  | 'none'
  | 'hs256'
  | 'unpublished-key'
  | 'bad-signature'
  | 'no-kid';

interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

interface Grant {
  sub: string;
  nonce: string;
  scope: string;
  resources: string[];
  revoked: boolean;
}

/** A canned answer that replaces a route's normal one. */
export interface CannedResponse {
  status: number;
  body: string;
  contentType?: string;
}

const defaultPaths: Readonly<Record<TestRoute, string>> = {
  discovery: '/oidc/.well-known/openid-configuration',
  jwks: '/oidc/jwks',
  authorization: '/oidc/auth',
  token: '/oidc/token',
  userinfo: '/oidc/me',
  revocation: '/oidc/token/revocation',
};

export interface TestProviderOptions {
  clientId?: string;
  clientSecret?: string | undefined;
  algorithm?: string;
  /** Seconds. */
  accessTokenTtl?: number;
  /** Rotate on every use and fail on reuse (like strict providers). Default true. */
  rotateRefreshTokens?: boolean;
  /** Revoke the whole grant when a used refresh token comes back. Default true. */
  revokeOnReuse?: boolean;
  organizations?: string[];
}

/** See the module description. */
export class TestProvider {
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly counts: Record<TestRoute, number> = {
    discovery: 0,
    jwks: 0,
    authorization: 0,
    token: 0,
    userinfo: 0,
    revocation: 0,
  };
  /** Milliseconds to wait before answering, per route. */
  readonly delays: Partial<Record<TestRoute, number>> = {};
  /**
   * Milliseconds to hold an answer after the request was processed, per route: the provider
   * has acted (a refresh token is rotated) and only its answer is late.
   */
  readonly lateAnswers: Partial<Record<TestRoute, number>> = {};
  /** Changes the claims of the next ID tokens. */
  claimsHook: ((claims: Record<string, unknown>, kind: 'code' | 'refresh') => void) | undefined;
  signing: SigningMode = 'normal';
  /** Overrides the userinfo body. */
  userInfoHook: ((body: Record<string, unknown>) => void) | undefined;
  /** Overrides the discovery document. */
  discoveryHook: ((body: Record<string, unknown>) => void) | undefined;
  /**
   * Where each route is served (and announced in discovery); change one to move the endpoint.
   * The discovery path itself is where clients look, so it only moves to break discovery.
   */
  readonly paths: Record<TestRoute, string> = { ...defaultPaths };
  /** Entries published in the JWKS after the real keys (garbage, unknown key types, …). */
  extraJwks: unknown[] = [];
  /** Canned answers per route (a 500, an HTML page), instead of the normal ones. */
  readonly cannedResponses: Partial<Record<TestRoute, CannedResponse>> = {};
  accessTokenTtl: number;
  readonly rotateRefreshTokens: boolean;
  readonly revokeOnReuse: boolean;
  readonly organizations: string[];
  /** Token request bodies received, in order. */
  readonly tokenRequests: URLSearchParams[] = [];
  readonly tokenAuthorizations: (string | undefined)[] = [];

  readonly #server: Server;
  readonly #algorithm: string;
  #keys: SigningKey[] = [];
  readonly #codes = new Map<string, Grant & { redirectUri: string; challenge: string }>();
  readonly #refreshTokens = new Map<string, { grant: Grant; used: boolean }>();
  readonly #accessTokens = new Map<string, string>();

  private constructor(server: Server, options: TestProviderOptions) {
    this.#server = server;
    this.clientId = options.clientId ?? 'test-app';
    this.clientSecret = 'clientSecret' in options ? options.clientSecret : 'test-secret';
    this.#algorithm = options.algorithm ?? 'ES384';
    this.accessTokenTtl = options.accessTokenTtl ?? 3600;
    this.rotateRefreshTokens = options.rotateRefreshTokens ?? true;
    this.revokeOnReuse = options.revokeOnReuse ?? true;
    this.organizations = options.organizations ?? ['org_1'];
  }

  static async start(options: TestProviderOptions = {}): Promise<TestProvider> {
    let provider: TestProvider | undefined;
    const server = createServer((req, res) => {
      provider!.#handle(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    provider = new TestProvider(server, options);
    await provider.addKey();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return provider;
  }

  get endpoint(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  get issuer(): string {
    return `${this.endpoint}/oidc`;
  }

  /** Publishes a new signing key and signs with it from now on. */
  async addKey(alg: string = this.#algorithm): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const kid = `key-${this.#keys.length + 1}-${randomBytes(4).toString('hex')}`;
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    this.#keys.push({ kid, alg, privateKey, publicJwk });
    return kid;
  }

  /** Stops publishing every key but the newest. */
  retireOldKeys(): void {
    this.#keys = this.#keys.slice(-1);
  }

  /** Back to behaving well: normal signing, no hooks, no extra keys, no canned answers, no delays. */
  behave(): void {
    this.signing = 'normal';
    this.claimsHook = undefined;
    this.userInfoHook = undefined;
    this.discoveryHook = undefined;
    this.extraJwks = [];
    for (const route of Object.keys(this.paths) as TestRoute[]) {
      this.paths[route] = defaultPaths[route];
      delete this.cannedResponses[route];
      delete this.delays[route];
      delete this.lateAnswers[route];
    }
  }

  resetCounts(): void {
    for (const route of Object.keys(this.counts) as TestRoute[]) this.counts[route] = 0;
  }

  /** Follows the authorization URL like a browser that signs in as `sub`; returns the callback. */
  async authorize(authorizationUrl: string, sub = 'user_1'): Promise<string> {
    const url = new URL(authorizationUrl);
    url.searchParams.set('test_sub', sub);
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (!location) throw new Error(`authorization failed: ${response.status}`);
    return location;
  }

  /** Revokes every grant (as a provider does after refresh-token reuse). */
  revokeAll(): void {
    for (const entry of this.#refreshTokens.values()) entry.grant.revoked = true;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.endpoint);
    const route = (Object.keys(this.paths) as TestRoute[]).find(
      (name) => this.paths[name] === url.pathname,
    );
    if (!route) return send(res, 404, { error: 'not_found' });
    this.counts[route] += 1;
    const delay = this.delays[route];
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    if (res.destroyed) return;
    const canned = this.cannedResponses[route];
    if (canned) {
      res.statusCode = canned.status;
      res.setHeader('content-type', canned.contentType ?? 'text/html; charset=utf-8');
      res.end(canned.body);
      return;
    }
    const late = this.lateAnswers[route];
    if (late) {
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        setTimeout(() => end(...args), late);
        return res;
      }) as typeof res.end;
    }
    const body = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : undefined;
    switch (route) {
      case 'discovery':
        return send(res, 200, this.#discovery());
      case 'jwks':
        return send(res, 200, {
          keys: [...this.#keys.map((key) => key.publicJwk), ...this.extraJwks],
        });
      case 'authorization':
        return this.#authorize(url, res);
      case 'token':
        this.tokenRequests.push(body!);
        this.tokenAuthorizations.push(req.headers.authorization);
        return this.#token(body!, req.headers.authorization, res);
      case 'userinfo':
        return this.#userInfo(req.headers.authorization, res);
      case 'revocation': {
        const entry = this.#refreshTokens.get(body?.get('token') ?? '');
        if (entry) entry.grant.revoked = true;
        res.statusCode = 200;
        res.end();
        return;
      }
    }
  }

  #discovery(): Record<string, unknown> {
    const at = (route: TestRoute): string => `${this.endpoint}${this.paths[route]}`;
    const body: Record<string, unknown> = {
      issuer: this.issuer,
      authorization_endpoint: at('authorization'),
      token_endpoint: at('token'),
      userinfo_endpoint: at('userinfo'),
      jwks_uri: at('jwks'),
      end_session_endpoint: `${this.issuer}/session/end`,
      revocation_endpoint: at('revocation'),
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [this.#algorithm],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    };
    this.discoveryHook?.(body);
    return body;
  }

  #authorize(url: URL, res: ServerResponse): void {
    const params = url.searchParams;
    const code = randomBytes(16).toString('base64url');
    this.#codes.set(code, {
      sub: params.get('test_sub') ?? 'user_1',
      nonce: params.get('nonce') ?? '',
      scope: params.get('scope') ?? '',
      resources: params.getAll('resource'),
      redirectUri: params.get('redirect_uri') ?? '',
      challenge: params.get('code_challenge') ?? '',
      revoked: false,
    });
    const target = new URL(params.get('redirect_uri') ?? '');
    target.searchParams.set('code', code);
    target.searchParams.set('state', params.get('state') ?? '');
    target.searchParams.set('iss', this.issuer);
    res.statusCode = 303;
    res.setHeader('location', target.href);
    res.end();
  }

  async #token(
    body: URLSearchParams,
    authorization: string | undefined,
    res: ServerResponse,
  ): Promise<void> {
    const clientId = authorization?.startsWith('Basic ')
      ? decodeURIComponent(
          Buffer.from(authorization.slice(6), 'base64').toString().split(':')[0] ?? '',
        )
      : body.get('client_id');
    if (clientId !== this.clientId) return send(res, 401, { error: 'invalid_client' });
    if (body.get('grant_type') === 'authorization_code') {
      const grant = this.#codes.get(body.get('code') ?? '');
      this.#codes.delete(body.get('code') ?? '');
      const verifier = body.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (
        !grant ||
        grant.challenge !== challenge ||
        grant.redirectUri !== body.get('redirect_uri')
      ) {
        return send(res, 400, {
          error: 'invalid_grant',
          error_description: 'grant request is invalid',
        });
      }
      return send(res, 200, await this.#issue(grant, 'code', undefined, undefined));
    }
    if (body.get('grant_type') === 'refresh_token') {
      const entry = this.#refreshTokens.get(body.get('refresh_token') ?? '');
      if (!entry || entry.grant.revoked) {
        return send(res, 400, {
          error: 'invalid_grant',
          error_description: 'grant request is invalid',
        });
      }
      if (entry.used) {
        if (this.revokeOnReuse) entry.grant.revoked = true;
        return send(res, 400, {
          error: 'invalid_grant',
          error_description: 'refresh token already used',
        });
      }
      const resource = body.get('resource') ?? undefined;
      const organizationId = body.get('organization_id') ?? undefined;
      if (resource !== undefined && !entry.grant.resources.includes(resource)) {
        return send(res, 400, { error: 'invalid_target', code: 'oidc.invalid_target' });
      }
      if (organizationId !== undefined && !this.organizations.includes(organizationId)) {
        return send(res, 403, {
          error: 'access_denied',
          code: 'oidc.access_denied',
          error_description: 'user is not a member of the organization',
        });
      }
      if (this.rotateRefreshTokens) entry.used = true;
      return send(res, 200, await this.#issue(entry.grant, 'refresh', resource, organizationId));
    }
    return send(res, 400, { error: 'unsupported_grant_type' });
  }

  async #issue(
    grant: Grant,
    kind: 'code' | 'refresh',
    resource: string | undefined,
    organizationId: string | undefined,
  ): Promise<Record<string, unknown>> {
    const now = Math.floor(Date.now() / 1000);
    const key = this.#keys.at(-1)!;
    let accessToken: string;
    if (resource === undefined && organizationId === undefined) {
      accessToken = randomBytes(32).toString('base64url');
      this.#accessTokens.set(accessToken, grant.sub);
    } else {
      const aud = resource ?? `urn:logto:organization:${organizationId}`;
      accessToken = await new SignJWT({
        scope: '',
        client_id: this.clientId,
        ...(resource && organizationId ? { organization_id: organizationId } : {}),
      })
        .setProtectedHeader({ alg: key.alg, typ: 'at+jwt', kid: key.kid })
        .setSubject(grant.sub)
        .setIssuer(this.issuer)
        .setAudience(aud)
        .setIssuedAt(now)
        .setExpirationTime(now + this.accessTokenTtl)
        .setJti(randomBytes(8).toString('hex'))
        .sign(key.privateKey);
    }
    const refreshToken = randomBytes(32).toString('base64url');
    this.#refreshTokens.set(refreshToken, { grant, used: false });
    const claims: Record<string, unknown> = {
      iss: this.issuer,
      sub: grant.sub,
      aud: this.clientId,
      exp: now + 3600,
      iat: now,
      name: 'Test User',
      picture: null,
      username: grant.sub,
      ...(kind === 'code' ? { nonce: grant.nonce } : {}),
    };
    this.claimsHook?.(claims, kind);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.accessTokenTtl,
      scope: grant.scope,
      refresh_token: refreshToken,
      id_token: await this.#signIdToken(claims),
    };
  }

  async #signIdToken(claims: Record<string, unknown>): Promise<string> {
    const key = this.#keys.at(-1)!;
    switch (this.signing) {
      case 'none':
        return new UnsecuredJWT(claims).encode();
      case 'hs256':
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid: key.kid })
          .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough!'));
      case 'unpublished-key': {
        const { privateKey } = await generateKeyPair(key.alg);
        return (
          new SignJWT(claims)
            // A different unknown kid each time, as an attacker making up key ids would send.
            .setProtectedHeader({
              alg: key.alg,
              kid: `unpublished-${randomBytes(6).toString('hex')}`,
            })
            .sign(privateKey)
        );
      }
      case 'bad-signature': {
        const token = await new SignJWT(claims)
          .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid })
          .sign(key.privateKey);
        const [header, , signature] = token.split('.');
        const forged = Buffer.from(JSON.stringify({ ...claims, name: 'Mallory' })).toString(
          'base64url',
        );
        return `${header}.${forged}.${signature}`;
      }
      case 'no-kid':
        return new SignJWT(claims)
          .setProtectedHeader({ alg: key.alg, typ: 'JWT' })
          .sign(key.privateKey);
      case 'normal':
        return new SignJWT(claims)
          .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid })
          .sign(key.privateKey);
    }
  }

  #userInfo(authorization: string | undefined, res: ServerResponse): void {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
    const sub = this.#accessTokens.get(token);
    if (!sub) {
      res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
      send(res, 401, { error: 'invalid_token' });
      return;
    }
    const body: Record<string, unknown> = {
      sub,
      name: 'Test User',
      custom_data: { plan: 'pro' },
      identities: {},
    };
    this.userInfoHook?.(body);
    send(res, 200, body);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

/** A port on 127.0.0.1 where nothing listens (a provider that is down). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

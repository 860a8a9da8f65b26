import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryStore } from './adapter.js';
import { Directory } from './directory.js';
import { Interactions, sendHtml } from './interactions.js';
import { generateSigningKey, prepareSigningKey, type SigningJwk } from './keys.js';
import { escapeHtml, messagePage, page } from './pages.js';
import { createProvider } from './provider.js';
import { defaultSeed, parseSeed, type Seed, type SeedInput } from './seed.js';

/** Endpoints whose requests the server counts (tests and benchmarks read the counts). */
export type RouteName =
  | 'discovery'
  | 'jwks'
  | 'authorization'
  | 'token'
  | 'userinfo'
  | 'revocation'
  | 'introspection'
  | 'end_session';

export interface DevServerOptions {
  /** Port to bind on loopback; `0` picks a free one. Default `3001`. */
  port?: number;
  /**
   * Public URL of the server (Logto's `ENDPOINT`) when it sits behind a proxy; the issuer is
   * `${endpoint}/oidc`. Default `http://localhost:<port>`.
   */
  endpoint?: string;
  /** The seed (validated here); default {@link defaultSeed}. */
  seed?: SeedInput | Seed;
  /** Print nothing. Default `false`: a start-up banner and errors go to stderr. */
  quiet?: boolean;
  /** Run even when `NODE_ENV` is `production` (never do this for real users). */
  dangerouslyAllowProduction?: boolean;
}

export interface DevServer {
  /** The public base URL, e.g. `http://localhost:3001` (what an SDK calls `endpoint`). */
  readonly endpoint: string;
  /** `${endpoint}/oidc`. */
  readonly issuer: string;
  /** The port it listens on (on 127.0.0.1, and on ::1 when the machine has IPv6). */
  readonly port: number;
  /** The validated seed, defaults filled in. */
  readonly seed: Seed;
  /** The public signing keys (JWKS) it publishes. */
  readonly publicKeys: { keys: Record<string, unknown>[] };
  /** How many requests a route has received since start (or the last reset). */
  requestCount(route: RouteName): number;
  /**
   * How many token-endpoint grants of a type (`refresh_token`, `authorization_code`,
   * `client_credentials`) were answered since start (or the last reset): `issued` with tokens,
   * `refused` with an error (a replayed or revoked refresh token is `refused`).
   */
  grantCount(grantType: string, outcome: 'issued' | 'refused'): number;
  /**
   * Rotates the signing key as Logto does: a new P-384 key signs from now on, the previous
   * keys stay published (so tokens already issued still verify). Sessions and grants survive.
   */
  rotateSigningKey(): Promise<void>;
  /**
   * Stops publishing a signing key, as deleting a private key in Logto's Console does: it
   * leaves the JWKS, and when it was the newest, the next one signs. Tokens it signed no longer
   * verify once a client fetches the keys again. Throws for an unknown `kid` or the last key.
   */
  removeSigningKey(kid: string): void;
  resetCounts(): void;
  close(): Promise<void>;
}

const oidcRoutes: [RegExp, RouteName][] = [
  [/^\/\.well-known\/(openid-configuration|oauth-authorization-server)$/, 'discovery'],
  [/^\/jwks$/, 'jwks'],
  [/^\/auth(\/|$)/, 'authorization'],
  [/^\/token$/, 'token'],
  [/^\/me$/, 'userinfo'],
  [/^\/token\/revocation$/, 'revocation'],
  [/^\/token\/introspection$/, 'introspection'],
  [/^\/session\/end(\/|$)/, 'end_session'],
];

function isLoopbackEndpoint(endpoint: string): boolean {
  const { hostname } = new URL(endpoint);
  return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function homePage(issuer: string, seed: Seed): string {
  const apps = seed.applications
    .map((a) => `<li><code>${escapeHtml(a.id)}</code> (${escapeHtml(a.type)})</li>`)
    .join('');
  return page(
    'logto-dev',
    `<h1>Local Logto-compatible identity provider</h1>
<p class="sub">Issuer <code>${escapeHtml(issuer)}</code></p>
<p><a href="/oidc/.well-known/openid-configuration">Discovery document</a> · <a href="/oidc/jwks">JWKS</a></p>
<p>Applications:</p><ul>${apps}</ul>`,
  );
}

/**
 * Starts the local identity provider. It listens on loopback only.
 *
 * @example
 * const idp = await startDevServer({ port: 0, quiet: true });
 * const endpoint = idp.endpoint; // give this to LogtoClient
 * await idp.close();
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  // 'Production', ' production ' and friends count too: some tools normalise the value, some do not.
  const production = process.env.NODE_ENV?.trim().toLowerCase() === 'production';
  if (production && !options.dangerouslyAllowProduction) {
    throw new Error(
      'logto-dev is a development identity provider and refuses to run with NODE_ENV=production.',
    );
  }
  const seed = parseSeed(options.seed ?? defaultSeed());
  const log = options.quiet ? () => {} : (line: string) => process.stderr.write(`${line}\n`);

  const counts = new Map<RouteName, number>();
  const grants = new Map<string, number>();
  const countGrant = (grantType: unknown, outcome: 'issued' | 'refused') => {
    const key = `${String(grantType)} ${outcome}`;
    grants.set(key, (grants.get(key) ?? 0) + 1);
  };
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const primary = createServer((req, res) => handler(req, res));
  const port = await listen(primary, options.port ?? 3001, '127.0.0.1');
  const servers = [primary];
  const secondary = createServer((req, res) => handler(req, res));
  try {
    await listen(secondary, port, '::1');
    servers.push(secondary);
  } catch {
    // No IPv6 loopback here; 127.0.0.1 is enough.
  }

  const endpoint = (options.endpoint ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!URL.canParse(endpoint)) throw new TypeError(`Invalid endpoint: ${endpoint}`);
  if (!isLoopbackEndpoint(endpoint)) {
    log(`logto-dev: serving the public endpoint ${endpoint} (still listening on loopback only)`);
  }
  const issuer = `${endpoint}/oidc`;

  let signingKeys: SigningJwk[] = seed.signingKeys
    ? await Promise.all(seed.signingKeys.map((jwk) => prepareSigningKey(jwk)))
    : [await generateSigningKey()];
  const directory = new Directory(seed);
  const store = new MemoryStore(seed.refreshTokenRotation);
  const cookieKeys = [randomBytes(32).toString('base64url')];
  const build = () => {
    const provider = createProvider({ issuer, directory, store, signingKeys, cookieKeys });
    provider.on('server_error', (_ctx, error) => log(`logto-dev: server error: ${error.message}`));
    provider.on('grant.success', (ctx) => countGrant(ctx.oidc.params?.grant_type, 'issued'));
    provider.on('grant.error', (ctx) => countGrant(ctx.oidc?.params?.grant_type, 'refused'));
    provider.on('backchannel.error', (_ctx, error) =>
      log(`logto-dev: back-channel logout failed: ${error.message}`),
    );
    return { callback: provider.callback(), interactions: new Interactions(provider, directory) };
  };
  let current = build();

  handler = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/oidc' || path.startsWith('/oidc/')) {
      const inner = path.slice('/oidc'.length) || '/';
      const route = oidcRoutes.find(([pattern]) => pattern.test(inner))?.[1];
      if (route) counts.set(route, (counts.get(route) ?? 0) + 1);
      Object.assign(req, { originalUrl: req.url });
      req.url = inner + url.search;
      void current.callback(req, res);
      return;
    }
    const done = (error: unknown): void => {
      log(`logto-dev: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendHtml(res, 500, messagePage('Error', 'The dev server failed.'));
      else res.end();
    };
    if (path === '/sign-in') {
      current.interactions.signIn(req, res).catch(done);
    } else if (path === '/consent') {
      current.interactions.consent(req, res).catch(done);
    } else if (path === '/' && req.method === 'GET') {
      sendHtml(res, 200, homePage(issuer, seed));
    } else {
      sendHtml(res, 404, messagePage('Not found', 'There is nothing here.'));
    }
  };

  const publicKeysOf = (keys: SigningJwk[]) => ({
    keys: keys.map(({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub }) => pub),
  });
  log(`logto-dev: issuer ${issuer}`);

  return {
    endpoint,
    issuer,
    port,
    seed,
    get publicKeys() {
      return publicKeysOf(signingKeys);
    },
    rotateSigningKey: async () => {
      signingKeys = [await generateSigningKey(), ...signingKeys];
      current = build();
    },
    removeSigningKey: (kid) => {
      if (!signingKeys.some((key) => key.kid === kid)) {
        throw new Error(`logto-dev: no signing key "${kid}"`);
      }
      if (signingKeys.length === 1)
        throw new Error('logto-dev: cannot remove the last signing key');
      signingKeys = signingKeys.filter((key) => key.kid !== kid);
      current = build();
    },
    requestCount: (route) => counts.get(route) ?? 0,
    grantCount: (grantType, outcome) => grants.get(`${grantType} ${outcome}`) ?? 0,
    resetCounts: () => {
      counts.clear();
      grants.clear();
    },
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
      store.close();
    },
  };
}

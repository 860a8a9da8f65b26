// The benchmarked apps: one Express app per variant, each with the same protected route.

import { MemorySessionStore } from '@logto-kit/core';
import { authenticated, logto } from '@logto-kit/express';
import {
  createRedisClient,
  RedisRefreshLock,
  RedisReplayCache,
  RedisSessionStore,
} from '@logto-kit/redis';
import express, { type Express } from 'express';
import expressOpenIdConnect from 'express-openid-connect';
import session from 'express-session';

// @logto/node's types add `user: LogtoContext` to every http.IncomingMessage, which clashes
// with any other `req.user` type in the program; load @logto/express untyped so its
// declarations stay out of our type-check.
interface PeerLogtoExpress {
  handleAuthRoutes(config: object): express.RequestHandler;
  withLogto(config: object): express.RequestHandler;
}
const peerName = '@logto/express';
const { handleAuthRoutes, withLogto } = (await import(peerName)) as PeerLogtoExpress;

// express-openid-connect is CommonJS: its named exports are not statically visible to ESM.
const { auth, requiresAuth } = expressOpenIdConnect;

export type Variant =
  | 'none'
  | 'kit-cookie'
  | 'kit-memory'
  | 'kit-redis'
  | 'logto-express'
  | 'eoidc'
  | 'fastify-none'
  | 'fastify-kit';

/** The variants that sign in: all but the bare apps. */
export type AuthVariant = Exclude<Variant, 'none' | 'fastify-none'>;

/** The bare app each variant is compared with: the same framework without auth. */
export const baselineOf = (variant: Variant): Variant =>
  variant.startsWith('fastify') ? 'fastify-none' : 'none';

export const variantLabels: Record<Variant, string> = {
  none: '(a) no auth',
  'kit-cookie': '(b) logto-kit, cookie session',
  'kit-memory': '(c) logto-kit, memory store',
  'kit-redis': '(f) logto-kit, two instances sharing Redis (store + refresh lock)',
  'logto-express': '(d) @logto/express + express-session',
  eoidc: '(e) express-openid-connect',
  'fastify-none': '(g) Fastify, no auth',
  'fastify-kit': '(h) @logto-kit/fastify, cookie session',
};

/** Where each variant starts a sign-in and where the provider calls it back. */
export const signInPath: Record<AuthVariant, string> = {
  'kit-cookie': '/sign-in',
  'kit-memory': '/sign-in',
  'kit-redis': '/sign-in',
  'logto-express': '/logto/sign-in',
  eoidc: '/login',
  'fastify-kit': '/sign-in',
};
export const callbackPath: Record<AuthVariant, string> = {
  'kit-cookie': '/callback',
  'kit-memory': '/callback',
  'kit-redis': '/callback',
  'logto-express': '/logto/sign-in-callback',
  eoidc: '/callback',
  'fastify-kit': '/callback',
};

export interface AppSettings {
  variant: Variant;
  baseUrl: string;
  endpoint: string;
  appId: string;
  appSecret: string;
  /** Extra scopes (e.g. organization ones) for the cookie-size run. */
  scopes?: string[];
  /** The Redis of the `kit-redis` variant. */
  redisUrl?: string;
}

const secret = 'bench-session-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

async function redisOptions(settings: AppSettings) {
  if (settings.variant !== 'kit-redis') return {};
  const client = await createRedisClient(settings.redisUrl ?? 'redis://127.0.0.1:6379');
  return {
    store: new RedisSessionStore({ client, secret }),
    refreshLock: new RedisRefreshLock({ client }),
    backchannelLogout: { replayCache: new RedisReplayCache({ client }) },
  };
}

export async function buildApp(settings: AppSettings): Promise<Express> {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // The public route: behind each variant's middleware, as an app's public pages are.
  const publicRoute = () =>
    app.get('/', (_req, res) => {
      res.json({ public: true });
    });
  const { variant, baseUrl, endpoint, appId, appSecret } = settings;

  if (variant === 'none') {
    publicRoute();
    app.get('/protected', (_req, res) => {
      res.json({ sub: 'anonymous' });
    });
    return app;
  }

  if (variant === 'kit-cookie' || variant === 'kit-memory' || variant === 'kit-redis') {
    const { store, ...redis } = await redisOptions(settings);
    app.use(
      logto({
        endpoint,
        appId,
        appSecret,
        baseUrl,
        scopes: settings.scopes ?? [],
        session: {
          secret,
          ...(variant === 'kit-memory' ? { store: new MemorySessionStore() } : {}),
          ...(store ? { store } : {}),
        },
        ...redis,
      }),
    );
    publicRoute();
    app.get('/protected', authenticated(), (req, res) => {
      res.json({ sub: (req.user as { sub?: string } | undefined)?.sub });
    });
    app.get('/api/token', authenticated(), async (req, res) => {
      try {
        const token = await req.logto.getAccessToken();
        res.json({ ok: true, length: token.length });
      } catch (error) {
        res.status(500).json({ ok: false, error: (error as { code?: string }).code ?? 'error' });
      }
    });
    app.get('/api/organizations', authenticated(), async (req, res) => {
      const ids = String(req.query.ids ?? '')
        .split(',')
        .filter(Boolean);
      for (const id of ids) await req.logto.getOrganizationToken(id);
      res.json({ ok: true, count: ids.length });
    });
    return app;
  }

  if (variant === 'logto-express') {
    const config = { endpoint, appId, appSecret, baseUrl, scopes: ['offline_access'] };
    app.use(
      session({
        secret,
        cookie: { maxAge: 14 * 24 * 3600 * 1000 },
        resave: false,
        saveUninitialized: false,
      }),
    );
    app.use(handleAuthRoutes(config));
    publicRoute();
    app.get('/protected', withLogto(config), (req, res) => {
      const user = req.user as unknown as { isAuthenticated: boolean; claims?: { sub: string } };
      if (!user.isAuthenticated) {
        res.status(401).json({ error: 'Not authenticated' });
        return;
      }
      res.json({ sub: user.claims?.sub });
    });
    app.get('/api/token', withLogto({ ...config, getAccessToken: true }), (req, res) => {
      const user = req.user as unknown as { isAuthenticated: boolean; accessToken?: string };
      res.status(user.accessToken ? 200 : 500).json({ ok: Boolean(user.accessToken) });
    });
    // @logto/express turns a failed refresh into next(error): answer 500 instead of a stack page.
    app.use(
      (
        _error: unknown,
        _req: express.Request,
        res: express.Response,
        _next: express.NextFunction,
      ) => {
        res.status(500).json({ ok: false });
      },
    );
    return app;
  }

  app.use(
    auth({
      issuerBaseURL: `${endpoint}/oidc`,
      baseURL: baseUrl,
      clientID: appId,
      clientSecret: appSecret,
      secret,
      authRequired: false,
      idpLogout: false,
      idTokenSigningAlg: 'ES384',
      authorizationParams: {
        response_type: 'code',
        scope: 'openid profile offline_access',
        prompt: 'consent',
      },
    }),
  );
  publicRoute();
  app.get('/protected', requiresAuth(), (req, res) => {
    res.json({ sub: req.oidc.user?.sub });
  });
  app.get('/api/token', requiresAuth(), async (req, res) => {
    try {
      let token = req.oidc.accessToken;
      if (token?.isExpired()) token = await token.refresh();
      res.status(token ? 200 : 500).json({ ok: Boolean(token) });
    } catch {
      res.status(500).json({ ok: false });
    }
  });
  return app;
}

// The resource-server apps: the same Express route (GET /api/notes → small JSON) with no auth,
// with logto-kit's requireAccessToken (verified-token cache on, and off so every request is a
// first-seen token), with a bare jose verify (the floor), and with express-oauth2-jwt-bearer.
import { requireAccessToken } from '@logto-kit/express';
import express, { type Express, type RequestHandler } from 'express';
import { createLocalJWKSet, jwtVerify } from 'jose';

// express-oauth2-jwt-bearer declares its own `req.auth` type globally, which clashes with ours;
// load it untyped so its declarations stay out of our type-check (as apps.ts does for a peer).
interface PeerJwtBearer {
  auth(options: object): RequestHandler;
  requiredScopes(scopes: string): RequestHandler;
}
const peerName = 'express-oauth2-jwt-bearer';
const peer = (await import(peerName)) as PeerJwtBearer;

export type ApiVariant = 'api-none' | 'api-kit' | 'api-kit-nocache' | 'api-jose' | 'api-peer';

export const apiVariants: ApiVariant[] = [
  'api-none',
  'api-kit',
  'api-kit-nocache',
  'api-jose',
  'api-peer',
];

export const apiVariantLabels: Record<ApiVariant, string> = {
  'api-none': '(a) no auth',
  'api-kit': '(b) logto-kit requireAccessToken (repeated token, cache)',
  'api-kit-nocache': '(c) logto-kit requireAccessToken, cache off (every token first-seen)',
  'api-jose': '(d) bare jose jwtVerify, key already imported (the floor)',
  'api-peer': '(e) express-oauth2-jwt-bearer + requiredScopes',
};

export interface ApiSettings {
  variant: ApiVariant;
  endpoint: string;
  resource: string;
  /** The provider's public JWKS (for the bare jose variant). */
  jwks: { keys: Record<string, unknown>[] };
}

export async function buildApiApp(settings: ApiSettings): Promise<Express> {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  const { variant, endpoint, resource } = settings;
  const answer: RequestHandler = (_req, res) => {
    res.json({ notes: ['one', 'two'] });
  };
  if (variant === 'api-none') {
    app.get('/api/notes', answer);
  } else if (variant === 'api-kit' || variant === 'api-kit-nocache') {
    const guard = requireAccessToken({
      endpoint,
      resource,
      scopes: ['read'],
      ...(variant === 'api-kit-nocache' ? { cacheSize: 0 } : {}),
    });
    app.get('/api/notes', guard, answer);
  } else if (variant === 'api-jose') {
    const keys = createLocalJWKSet(settings.jwks as Parameters<typeof createLocalJWKSet>[0]);
    const issuer = `${endpoint}/oidc`;
    const verify: RequestHandler = (req, res, next) => {
      const token = (req.headers.authorization ?? '').slice('Bearer '.length);
      jwtVerify(token, keys, { issuer, audience: resource, algorithms: ['ES384'] }).then(
        () => next(),
        () => res.status(401).end(),
      );
    };
    app.get('/api/notes', verify, answer);
  } else {
    app.get(
      '/api/notes',
      peer.auth({
        issuerBaseURL: `${endpoint}/oidc`,
        audience: resource,
        dpop: { enabled: false },
      }),
      peer.requiredScopes('read'),
      answer,
    );
    // Its errors go to next(err): answer them without a stack page.
    app.use(
      (
        error: { status?: number },
        _req: express.Request,
        res: express.Response,
        _next: express.NextFunction,
      ) => {
        res.status(error.status ?? 500).end();
      },
    );
  }
  return app;
}

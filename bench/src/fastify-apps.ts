// The Fastify variants: the same two routes as the Express apps, bare (g) or behind
// @logto-kit/fastify with a cookie session (h), so each is compared with its own framework.
import { authenticated, logto } from '@logto-kit/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppSettings } from './apps.js';

const secret = 'bench-session-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

export function buildFastifyApp(settings: AppSettings): FastifyInstance {
  const app = Fastify();
  const { variant, baseUrl, endpoint, appId, appSecret } = settings;
  // The public route: behind the plugin, as an app's public pages are.
  if (variant === 'fastify-none') {
    app.get('/', async () => ({ public: true }));
    app.get('/protected', async () => ({ sub: 'anonymous' }));
    return app;
  }
  app.register(
    logto({
      endpoint,
      appId,
      appSecret,
      baseUrl,
      scopes: settings.scopes ?? [],
      session: { secret },
    }),
  );
  app.get('/', async () => ({ public: true }));
  app.get('/protected', { preHandler: authenticated() }, async (request) => ({
    sub: request.user?.sub,
  }));
  return app;
}

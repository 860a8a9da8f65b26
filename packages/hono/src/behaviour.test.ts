import { ProviderUnavailableError } from '@logto-kit/core';
import { describeAdapterBehaviour } from '@logto-kit/testing/adapter-behaviour';
import { type Context, Hono } from 'hono';
import {
  authenticated,
  type LogtoEnv,
  type LogtoHonoOptions,
  logto,
  logtoErrorHandler,
} from './index.js';

function suiteApp(options: LogtoHonoOptions): Hono<LogtoEnv> {
  const app = new Hono<LogtoEnv>();
  app.use(logto(options));
  app.get('/', (c) => c.text('home'));
  app.get('/whoami', async (c) => c.json({ signedIn: await c.get('logto').isAuthenticated() }));
  app.get('/whoami-private', async (c) => {
    c.header('cache-control', 'private, max-age=60');
    return c.json({ signedIn: await c.get('logto').isAuthenticated() });
  });
  app.get('/protected', authenticated({ shouldRedirect: true }), (c) => c.json(c.get('user')));
  app.get('/api/me', authenticated(), (c) => c.json({ sub: c.get('user').sub }));
  app.get('/api/token', authenticated(), async (c) =>
    c.json(await c.get('logto').getAccessTokenClaims('https://api.example.com')),
  );
  app.get('/api/organization/:id', authenticated(), async (c) =>
    c.json(await c.get('logto').getOrganizationTokenClaims(c.req.param('id'))),
  );
  app.get('/api/provider-down', () => {
    throw new ProviderUnavailableError();
  });
  app.onError(logtoErrorHandler());
  return app;
}

const baseUrl = 'http://localhost:3000';

describeAdapterBehaviour({
  name: 'Hono',
  loginHintFromQuery: (c: Context) => {
    const hint = c.req.query('hint');
    return hint ? { loginHint: hint } : undefined;
  },
  async serve() {
    let app: Hono<LogtoEnv> | undefined;
    return {
      baseUrl,
      mount: (options) => {
        app = suiteApp(options);
      },
      // Requests to the app go to app.request() (no server); the provider over the network.
      fetch: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : input);
        if (url.origin !== baseUrl || !app) return fetch(input, init);
        return Promise.resolve(app.request(url.href, init));
      },
      close: async () => undefined,
    };
  },
});

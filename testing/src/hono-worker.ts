// Test fixture: the app web-standards.test.ts bundles for a worker platform and runs with
// Node's globals hidden. Options arrive as JSON so every object is the sandbox's own.

import { authenticated, type LogtoEnv, logto, logtoErrorHandler } from '@logto-kit/hono';
import { Hono } from 'hono';

export function createWorkerApp(optionsJson: string): {
  fetch: (request: Request) => Promise<Response>;
} {
  const options = JSON.parse(optionsJson);
  const app = new Hono<LogtoEnv>();
  app.use(logto(options));
  app.get('/', (c) => c.text('home'));
  app.get('/protected', authenticated({ shouldRedirect: true }), (c) => c.json(c.get('user')));
  app.get('/protected/userinfo', authenticated({ fetchUserInfo: true }), (c) =>
    c.json(c.get('user')),
  );
  app.get('/api/token', authenticated(), async (c) =>
    c.json(await c.get('logto').getAccessTokenClaims(options.resources[0])),
  );
  app.get('/api/organization', authenticated(), async (c) =>
    c.json(await c.get('logto').getOrganizationTokenClaims('acme')),
  );
  app.onError(logtoErrorHandler());
  return { fetch: async (request) => app.fetch(request) };
}

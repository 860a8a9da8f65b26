// The README's example, as code a test runs (readme.test.ts checks that the README shows
// exactly the lines between the markers).
import { UserInfoScope } from '@logto-kit/core';
import { authenticated, type LogtoEnv, logto, logtoErrorHandler } from '@logto-kit/hono';
import { Hono } from 'hono';

export interface ReadmeEnv {
  LOGTO_ENDPOINT: string;
  LOGTO_APP_ID: string;
  LOGTO_APP_SECRET: string;
  BASE_URL: string;
  SESSION_SECRET: string;
}

export function createReadmeApp(env: ReadmeEnv): Hono<LogtoEnv> {
  // README:start
  const app = new Hono<LogtoEnv>();
  app.use(
    logto({
      endpoint: env.LOGTO_ENDPOINT, // e.g. 'http://localhost:3001' for `npx logto-dev`
      appId: env.LOGTO_APP_ID,
      appSecret: env.LOGTO_APP_SECRET,
      baseUrl: env.BASE_URL, // the redirect URI is `${baseUrl}/callback`
      scopes: [UserInfoScope.Email, 'read'],
      resources: ['https://api.example.com'],
      session: { secret: env.SESSION_SECRET }, // at least 32 random characters
    }),
  );

  app.get('/', async (c) =>
    c.text((await c.get('logto').isAuthenticated()) ? 'Signed in' : 'Signed out'),
  );
  // A page: signed-out visitors go to /sign-in and come back here.
  app.get('/protected', authenticated({ shouldRedirect: true }), (c) => c.json(c.get('user')));
  // An API: signed out is 401 JSON with WWW-Authenticate.
  app.get('/api/me', authenticated(), async (c) => {
    const token = await c.get('logto').getAccessTokenClaims('https://api.example.com');
    return c.json({ sub: c.get('user').sub, scope: token.scope });
  });
  // LogtoErrors from your handlers (provider down, session ended) become clear pages or JSON.
  app.onError(logtoErrorHandler());
  // README:end
  return app;
}

import {
  callNotesApi,
  claimsPage,
  type ExampleConfig,
  homePage,
  layout,
  logtoOptions,
  machinePage,
  notePage,
  notesAnswer,
  notesPath,
  type ScaleOut,
} from '@logto-kit/example-shared';
import {
  authenticated,
  type LogtoEnv,
  logto,
  logtoErrorHandler,
  requireAccessToken,
} from '@logto-kit/hono';
import { type Context, Hono } from 'hono';

/**
 * The seed's Flask sample, route for route: `/`, `/sign-in`, `/callback`, `/sign-out`,
 * `/protected`, `/protected/userinfo`, `/protected/no-redirect`, `/protected/organizations`,
 * and `/protected/api-resource`. Web standards only: the same app runs on Node (see
 * `server.ts`), Bun, Deno or Workers.
 *
 * @example
 * serve({ fetch: createApp(readConfig(process.env)).fetch, port: 3000 });
 * // several instances: createApp(config, await scaleOutFrom(config)) with SESSION_STORE=redis://…
 */
export function createApp(config: ExampleConfig, scaleOut: ScaleOut = {}): Hono<LogtoEnv> {
  const app = new Hono<LogtoEnv>();
  app.use(logto(logtoOptions(config, scaleOut)));

  // Generic: Hono's Context is invariant in its env, and guarded routes add `user` to it.
  const page = async <E extends LogtoEnv>(
    c: Context<E>,
    title: string,
    body: string,
  ): Promise<Response> =>
    c.html(
      layout({
        framework: 'Hono',
        title,
        path: c.req.path,
        body,
        signedIn: await c.get('logto').isAuthenticated(),
      }),
    );

  app.get('/', async (c) => {
    const logtoClient = c.get('logto');
    const user = (await logtoClient.isAuthenticated())
      ? await logtoClient.getIdTokenClaims()
      : undefined;
    return page(c, 'Home', homePage('Hono', user));
  });

  app.get('/protected', authenticated({ shouldRedirect: true }), (c) =>
    page(
      c,
      'ID token',
      claimsPage('ID token claims', 'From the verified ID token: no network request.', {
        ...c.get('user'),
      }),
    ),
  );

  app.get(
    '/protected/userinfo',
    authenticated({ shouldRedirect: true, fetchUserInfo: true }),
    (c) =>
      page(
        c,
        'Userinfo',
        claimsPage('Userinfo', 'From Logto\u2019s userinfo endpoint (/oidc/me).', {
          ...c.get('user'),
        }),
      ),
  );

  app.get('/protected/no-redirect', authenticated(), (c) =>
    c.json({
      message:
        'User is authenticated (try to access this route without being authenticated to see the difference)',
    }),
  );

  app.get('/protected/organizations', authenticated({ shouldRedirect: true }), async (c) => {
    const organizationId = c.get('user').organizations?.[0];
    const body = organizationId
      ? claimsPage(
          'Organization token',
          `Access token claims for organization ${organizationId}.`,
          { ...(await c.get('logto').getOrganizationTokenClaims(organizationId)) },
        )
      : notePage('Organization token', 'You are not a member of any organization.');
    return page(c, 'Organization token', body);
  });

  app.get('/protected/api-resource', authenticated({ shouldRedirect: true }), async (c) => {
    const body = config.resource
      ? claimsPage('API resource token', `Access token claims for ${config.resource}.`, {
          ...(await c.get('logto').getAccessTokenClaims(config.resource)),
        })
      : notePage(
          'API resource token',
          'Set LOGTO_RESOURCE to an API identifier to see its access token.',
        );
    return page(c, 'API resource token', body);
  });

  // The API half: its route takes the user's (or a machine's) access token, not the session.
  if (config.resource) {
    const guard = requireAccessToken({
      endpoint: config.endpoint,
      resource: config.resource,
      scopes: ['read'],
    });
    app.get(notesPath, guard, (c) => c.json(notesAnswer(c.get('auth'))));
  }

  app.get('/protected/api-call', authenticated({ shouldRedirect: true }), async (c) => {
    const body = config.resource
      ? claimsPage(
          'Your API answered',
          `GET ${notesPath}, called server-side with your access token and verified by requireAccessToken.`,
          await callNotesApi(config.baseUrl, await c.get('logto').getAccessToken(config.resource)),
        )
      : notePage('Call the API', 'Set LOGTO_RESOURCE to an API identifier to call the API.');
    return page(c, 'Call the API', body);
  });

  app.get('/protected/machine', authenticated({ shouldRedirect: true }), async (c) =>
    page(c, 'As a machine', await machinePage(config)),
  );

  app.get('/protected/readers', authenticated({ shouldRedirect: true, roles: ['reader'] }), (c) =>
    page(
      c,
      'Readers only',
      notePage('Readers only', 'You have the reader role: this page is yours.'),
    ),
  );

  // A LogtoError thrown by a handler (provider down, session ended) becomes a clear page.
  app.onError(logtoErrorHandler());
  return app;
}

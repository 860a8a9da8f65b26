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
import { authenticated, logto, logtoErrorHandler, requireAccessToken } from '@logto-kit/fastify';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * The seed's Flask sample, route for route: `/`, `/sign-in`, `/callback`, `/sign-out`,
 * `/protected`, `/protected/userinfo`, `/protected/no-redirect`, `/protected/organizations`,
 * and `/protected/api-resource`; then the API half: `/api/notes` (an access token, not the
 * session), `/protected/api-call` (calls it server-side) and the role-guarded
 * `/protected/readers`. The options are checked as the app is built (a `TypeError`).
 *
 * @example
 * await createApp(readConfig(process.env)).listen({ port: 3000 });
 */
export function createApp(config: ExampleConfig, scaleOut: ScaleOut = {}): FastifyInstance {
  const app = Fastify();
  app.register(logto(logtoOptions(config, scaleOut)));

  const page = async (request: FastifyRequest, reply: FastifyReply, title: string, body: string) =>
    reply.type('text/html; charset=utf-8').send(
      layout({
        framework: 'Fastify',
        title,
        path: request.routeOptions.url ?? '/',
        body,
        signedIn: await request.logto.isAuthenticated(),
      }),
    );
  const redirect = { preHandler: authenticated({ shouldRedirect: true }) };

  app.get('/', async (request, reply) => {
    const user = (await request.logto.isAuthenticated())
      ? await request.logto.getIdTokenClaims()
      : undefined;
    return page(request, reply, 'Home', homePage('Fastify', user));
  });

  app.get('/protected', redirect, async (request, reply) =>
    page(
      request,
      reply,
      'ID token',
      claimsPage('ID token claims', 'From the verified ID token: no network request.', {
        ...request.user,
      }),
    ),
  );

  app.get(
    '/protected/userinfo',
    { preHandler: authenticated({ shouldRedirect: true, fetchUserInfo: true }) },
    async (request, reply) =>
      page(
        request,
        reply,
        'Userinfo',
        claimsPage('Userinfo', 'From Logto\u2019s userinfo endpoint (/oidc/me).', {
          ...request.user,
        }),
      ),
  );

  app.get('/protected/no-redirect', { preHandler: authenticated() }, async () => ({
    message:
      'User is authenticated (try to access this route without being authenticated to see the difference)',
  }));

  app.get('/protected/organizations', redirect, async (request, reply) => {
    const organizationId = request.user?.organizations?.[0];
    const body = organizationId
      ? claimsPage(
          'Organization token',
          `Access token claims for organization ${organizationId}.`,
          { ...(await request.logto.getOrganizationTokenClaims(organizationId)) },
        )
      : notePage('Organization token', 'You are not a member of any organization.');
    return page(request, reply, 'Organization token', body);
  });

  app.get('/protected/api-resource', redirect, async (request, reply) => {
    const body = config.resource
      ? claimsPage('API resource token', `Access token claims for ${config.resource}.`, {
          ...(await request.logto.getAccessTokenClaims(config.resource)),
        })
      : notePage(
          'API resource token',
          'Set LOGTO_RESOURCE to an API identifier to see its access token.',
        );
    return page(request, reply, 'API resource token', body);
  });

  // The API half: its route takes the user's (or a machine's) access token, not the session.
  if (config.resource) {
    const guard = requireAccessToken({
      endpoint: config.endpoint,
      resource: config.resource,
      scopes: ['read'],
    });
    app.get(notesPath, { onRequest: guard }, async (request) => notesAnswer(request.auth!));
  }

  app.get('/protected/api-call', redirect, async (request, reply) => {
    const body = config.resource
      ? claimsPage(
          'Your API answered',
          `GET ${notesPath}, called server-side with your access token and verified by requireAccessToken.`,
          await callNotesApi(config.baseUrl, await request.logto.getAccessToken(config.resource)),
        )
      : notePage('Call the API', 'Set LOGTO_RESOURCE to an API identifier to call the API.');
    return page(request, reply, 'Call the API', body);
  });

  app.get('/protected/machine', redirect, async (request, reply) =>
    page(request, reply, 'As a machine', await machinePage(config)),
  );

  app.get(
    '/protected/readers',
    { preHandler: authenticated({ shouldRedirect: true, roles: ['reader'] }) },
    async (request, reply) =>
      page(
        request,
        reply,
        'Readers only',
        notePage('Readers only', 'You have the reader role: this page is yours.'),
      ),
  );

  // A LogtoError thrown by a handler (provider down, session ended) becomes a clear page.
  app.setErrorHandler(logtoErrorHandler());
  return app;
}

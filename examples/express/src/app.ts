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
import { authenticated, logto, logtoErrorHandler, requireAccessToken } from '@logto-kit/express';
import express, { type Express, type Request } from 'express';

/**
 * The seed's Flask sample, route for route: `/`, `/sign-in`, `/callback`, `/sign-out`,
 * `/protected`, `/protected/userinfo`, `/protected/no-redirect`, `/protected/organizations`,
 * and `/protected/api-resource`.
 *
 * @example
 * createApp(readConfig(process.env)).listen(3000);
 */
export function createApp(config: ExampleConfig, scaleOut: ScaleOut = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(logto(logtoOptions(config, scaleOut)));

  const page = async (req: Request, path: string, title: string, body: string): Promise<string> =>
    layout({
      framework: 'Express',
      title,
      path,
      body,
      signedIn: await req.logto.isAuthenticated(),
    });

  app.get('/', async (req, res, next) => {
    try {
      const user = (await req.logto.isAuthenticated())
        ? await req.logto.getIdTokenClaims()
        : undefined;
      res.send(await page(req, '/', 'Home', homePage('Express', user)));
    } catch (error) {
      next(error);
    }
  });

  app.get('/protected', authenticated({ shouldRedirect: true }), async (req, res) => {
    const body = claimsPage('ID token claims', 'From the verified ID token: no network request.', {
      ...req.user,
    });
    res.send(await page(req, '/protected', 'ID token', body));
  });

  app.get(
    '/protected/userinfo',
    authenticated({ shouldRedirect: true, fetchUserInfo: true }),
    async (req, res) => {
      const body = claimsPage('Userinfo', 'From Logto\u2019s userinfo endpoint (/oidc/me).', {
        ...req.user,
      });
      res.send(await page(req, '/protected/userinfo', 'Userinfo', body));
    },
  );

  app.get('/protected/no-redirect', authenticated(), (_req, res) => {
    res.json({
      message:
        'User is authenticated (try to access this route without being authenticated to see the difference)',
    });
  });

  app.get(
    '/protected/organizations',
    authenticated({ shouldRedirect: true }),
    async (req, res, next) => {
      try {
        const organizationId = req.user?.organizations?.[0];
        const body = organizationId
          ? claimsPage(
              'Organization token',
              `Access token claims for organization ${organizationId}.`,
              { ...(await req.logto.getOrganizationTokenClaims(organizationId)) },
            )
          : notePage('Organization token', 'You are not a member of any organization.');
        res.send(await page(req, '/protected/organizations', 'Organization token', body));
      } catch (error) {
        next(error);
      }
    },
  );

  app.get(
    '/protected/api-resource',
    authenticated({ shouldRedirect: true }),
    async (req, res, next) => {
      try {
        const body = config.resource
          ? claimsPage('API resource token', `Access token claims for ${config.resource}.`, {
              ...(await req.logto.getAccessTokenClaims(config.resource)),
            })
          : notePage(
              'API resource token',
              'Set LOGTO_RESOURCE to an API identifier to see its access token.',
            );
        res.send(await page(req, '/protected/api-resource', 'API resource token', body));
      } catch (error) {
        next(error);
      }
    },
  );

  // The API half: its route takes the user's (or a machine's) access token, not the session.
  if (config.resource) {
    const guard = requireAccessToken({
      endpoint: config.endpoint,
      resource: config.resource,
      scopes: ['read'],
    });
    app.get(notesPath, guard, (req, res) => {
      res.json(notesAnswer(req.auth!));
    });
  }

  app.get(
    '/protected/api-call',
    authenticated({ shouldRedirect: true }),
    async (req, res, next) => {
      try {
        const body = config.resource
          ? claimsPage(
              'Your API answered',
              `GET ${notesPath}, called server-side with your access token and verified by requireAccessToken.`,
              await callNotesApi(config.baseUrl, await req.logto.getAccessToken(config.resource)),
            )
          : notePage('Call the API', 'Set LOGTO_RESOURCE to an API identifier to call the API.');
        res.send(await page(req, '/protected/api-call', 'Call the API', body));
      } catch (error) {
        next(error);
      }
    },
  );

  app.get('/protected/machine', authenticated({ shouldRedirect: true }), async (req, res, next) => {
    try {
      const body = await machinePage(config);
      res.send(await page(req, '/protected/machine', 'As a machine', body));
    } catch (error) {
      next(error);
    }
  });

  app.get(
    '/protected/readers',
    authenticated({ shouldRedirect: true, roles: ['reader'] }),
    async (req, res) => {
      const body = notePage('Readers only', 'You have the reader role: this page is yours.');
      res.send(await page(req, '/protected/readers', 'Readers only', body));
    },
  );

  app.use(logtoErrorHandler());
  return app;
}

import {
  claimsPage,
  type ExampleConfig,
  homePage,
  layout,
  logtoOptions,
  notePage,
  type ScaleOut,
} from '@logto-kit/example-shared';
import { authenticated, logto, logtoErrorHandler } from '@logto-kit/express';
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

  app.use(logtoErrorHandler());
  return app;
}

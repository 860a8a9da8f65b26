import { ProviderUnavailableError } from '@logto-kit/core';
import { describeAdapterBehaviour } from '@logto-kit/testing/adapter-behaviour';
import { serveFastify } from '@logto-kit/testing/fastify-app';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticated, type LogtoFastifyOptions, logto, logtoErrorHandler } from './index.js';

function suiteApp(app: FastifyInstance, options: LogtoFastifyOptions): void {
  app.register(logto(options));
  app.get('/', async () => 'home');
  app.get('/whoami', async (request) => ({ signedIn: await request.logto.isAuthenticated() }));
  app.get('/whoami-private', async (request, reply) => {
    reply.header('cache-control', 'private, max-age=60');
    return { signedIn: await request.logto.isAuthenticated() };
  });
  app.get(
    '/protected',
    { preHandler: authenticated({ shouldRedirect: true }) },
    async (request) => request.user,
  );
  app.get('/api/me', { preHandler: authenticated() }, async (request) => ({
    sub: request.user?.sub,
  }));
  app.get('/api/token', { preHandler: authenticated() }, (request) =>
    request.logto.getAccessTokenClaims('https://api.example.com'),
  );
  app.get<{ Params: { id: string } }>(
    '/api/organization/:id',
    { preHandler: authenticated() },
    (request) => request.logto.getOrganizationTokenClaims(request.params.id),
  );
  app.get('/api/provider-down', async () => {
    throw new ProviderUnavailableError();
  });
  app.setErrorHandler(logtoErrorHandler());
}

describeAdapterBehaviour({
  name: 'Fastify',
  loginHintFromQuery: (request: FastifyRequest) => {
    const { hint } = request.query as { hint?: string };
    return hint ? { loginHint: hint } : undefined;
  },
  async serve() {
    const served = await serveFastify();
    return {
      baseUrl: served.baseUrl,
      // logto(…) checks the options as the app is built: bad ones throw from mount().
      mount: (options) => void served.mount((app) => suiteApp(app, options)),
      fetch: (input, init) => fetch(input, init),
      close: () => served.close(),
    };
  },
});

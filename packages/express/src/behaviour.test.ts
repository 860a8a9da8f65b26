import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderUnavailableError } from '@logto-kit/core';
import { describeAdapterBehaviour } from '@logto-kit/testing/adapter-behaviour';
import express, { type Express } from 'express';
import { authenticated, type LogtoExpressOptions, logto, logtoErrorHandler } from './index.js';

function suiteApp(options: LogtoExpressOptions): Express {
  const app = express();
  app.use(logto(options));
  app.get('/', (_req, res) => {
    res.send('home');
  });
  app.get('/whoami', (req, res, next) => {
    req.logto.isAuthenticated().then((signedIn) => res.json({ signedIn }), next);
  });
  app.get('/whoami-private', (req, res, next) => {
    res.set('cache-control', 'private, max-age=60');
    req.logto.isAuthenticated().then((signedIn) => res.json({ signedIn }), next);
  });
  app.get('/protected', authenticated({ shouldRedirect: true }), (req, res) => {
    res.json(req.user);
  });
  app.get('/api/me', authenticated(), (req, res) => {
    res.json({ sub: req.user?.sub });
  });
  app.get('/api/token', authenticated(), (req, res, next) => {
    req.logto
      .getAccessTokenClaims('https://api.example.com')
      .then((claims) => res.json(claims), next);
  });
  app.get('/api/organization/:id', authenticated(), (req, res, next) => {
    req.logto
      .getOrganizationTokenClaims(String(req.params.id))
      .then((claims) => res.json(claims), next);
  });
  app.get('/api/provider-down', () => {
    throw new ProviderUnavailableError();
  });
  app.use(logtoErrorHandler());
  return app;
}

describeAdapterBehaviour({
  name: 'Express',
  loginHintFromQuery: (req: express.Request) =>
    typeof req.query.hint === 'string' ? { loginHint: req.query.hint } : undefined,
  async serve() {
    let app: Express | undefined;
    const server = createServer((req, res) => (app ? app(req, res) : res.end()));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      baseUrl: `http://localhost:${port}`,
      mount: (options) => {
        app = suiteApp(options);
      },
      fetch: (input, init) => fetch(input, init),
      close: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  },
});

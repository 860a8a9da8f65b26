/** `requireAccessToken()` in Express: the shared suite, against tokens the real dev server signs. */
import type { AddressInfo } from 'node:net';
import { describeRequireAccessToken } from '@logto-kit/testing/access-token-suite';
import express from 'express';
import { requireAccessToken } from './index.js';

describeRequireAccessToken('Express', async ({ endpoint, down, resource }) => {
  const app = express();
  app.get('/api/read', requireAccessToken({ endpoint, resource, scopes: ['read'] }), (req, res) => {
    res.json({
      subject: req.auth?.subject,
      scopes: req.auth?.scopes,
      machine: req.auth?.isMachine,
    });
  });
  app.post(
    '/api/write',
    requireAccessToken({ endpoint, resource, scopes: ['write'] }),
    (_req, res) => {
      res.json({ ok: true });
    },
  );
  app.get(
    '/api/orgs/:org',
    requireAccessToken({ endpoint, resource, organization: (req) => String(req.params.org) }),
    (req, res) => {
      res.json({ organization: req.auth?.organizationId });
    },
  );
  app.get(
    '/api/down',
    requireAccessToken({ endpoint: down, resource, logger: false }),
    (_req, res) => {
      res.json({ ok: true });
    },
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    request: (path, init) => fetch(`${base}${path}`, init),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});

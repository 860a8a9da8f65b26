/** `requireAccessToken()` in Hono: the shared suite, against tokens the real dev server signs. */
import { describeRequireAccessToken } from '@logto-kit/testing/access-token-suite';
import { Hono } from 'hono';
import { requireAccessToken } from './index.js';

describeRequireAccessToken('Hono', async ({ endpoint, down, resource }) => {
  const app = new Hono()
    .get('/api/read', requireAccessToken({ endpoint, resource, scopes: ['read'] }), (c) =>
      c.json({
        subject: c.get('auth').subject,
        scopes: c.get('auth').scopes,
        machine: c.get('auth').isMachine,
      }),
    )
    .post('/api/write', requireAccessToken({ endpoint, resource, scopes: ['write'] }), (c) =>
      c.json({ ok: true }),
    )
    .get(
      '/api/orgs/:org',
      requireAccessToken({ endpoint, resource, organization: (c) => c.req.param('org') }),
      (c) => c.json({ organization: c.get('auth').organizationId }),
    )
    .get('/api/down', requireAccessToken({ endpoint: down, resource, logger: false }), (c) =>
      c.json({ ok: true }),
    );
  return { request: async (path, init) => app.request(path, init), close: async () => {} };
});

/** `requireAccessToken()` in Fastify: the shared suite, against tokens the real dev server signs. */
import { describeRequireAccessToken } from '@logto-kit/testing/access-token-suite';
import Fastify from 'fastify';
import { requireAccessToken } from './index.js';

describeRequireAccessToken('Fastify', async ({ endpoint, down, resource }) => {
  const app = Fastify();
  app.get(
    '/api/read',
    { onRequest: requireAccessToken({ endpoint, resource, scopes: ['read'] }) },
    async (request) => ({
      subject: request.auth?.subject,
      scopes: request.auth?.scopes,
      machine: request.auth?.isMachine,
    }),
  );
  // A preHandler runs after the body is validated: a well-formed body reaches the token check.
  app.post(
    '/api/write',
    {
      preHandler: requireAccessToken({ endpoint, resource, scopes: ['write'] }),
      schema: { body: { type: 'object', required: ['note'] } },
    },
    async () => ({ ok: true }),
  );
  app.get(
    '/api/orgs/:org',
    {
      onRequest: requireAccessToken({
        endpoint,
        resource,
        organization: (request) => (request.params as { org: string }).org,
      }),
    },
    async (request) => ({ organization: request.auth?.organizationId }),
  );
  app.get(
    '/api/down',
    { onRequest: requireAccessToken({ endpoint: down, resource, logger: false }) },
    async () => ({ ok: true }),
  );
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { request: (path, init) => fetch(`${base}${path}`, init), close: () => app.close() };
});

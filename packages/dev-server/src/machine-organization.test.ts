// Machine-to-machine organization tokens (Logto RFC 0006): client credentials with
// `organization_id`, as Logto answers them (`packages/core/src/oidc/grants/client-credentials.ts`).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { basicAuth, tokenRequest, verify } from '@logto-kit/testing/oidc-requests';
import { defaultSeed, demo } from './seed.js';
import { type DevServer, startDevServer } from './server.js';

const machine = basicAuth(demo.machineAppId, demo.machineAppSecret);

describe('dev server: client credentials with organization_id', () => {
  let idp: DevServer;
  before(async () => {
    const seed = defaultSeed();
    // An organization role that grants an API scope too, for the organization-scoped API token.
    seed.organizationRoles = [
      ...(seed.organizationRoles ?? []),
      { name: 'api-writer', scopes: [], resourceScopes: { [demo.resource]: ['write'] } },
    ];
    seed.organizations![0]!.applications = [
      { appId: demo.machineAppId, roles: ['member', 'api-writer'] },
    ];
    idp = await startDevServer({ port: 0, quiet: true, seed });
  });
  after(() => idp.close());

  const grant = (body: Record<string, string>) =>
    tokenRequest(idp, { grant_type: 'client_credentials', ...body }, machine);

  it('issues an organization token to a member app: aud urn:logto:organization:<id>', async () => {
    const { status, body } = await grant({
      organization_id: demo.organizationId,
      scope: 'read:projects delete:projects',
    });
    assert.equal(status, 200);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
    assert.equal(body.scope, 'read:projects', 'what its organization roles grant, of those asked');
    const { payload, header } = await verify(idp, body.access_token);
    assert.equal(header.typ, 'at+jwt');
    assert.equal(payload.aud, `urn:logto:organization:${demo.organizationId}`);
    assert.equal(payload.sub, demo.machineAppId);
    assert.equal(payload.client_id, demo.machineAppId);
    assert.equal(payload.scope, 'read:projects');
    assert.equal(payload.organization_id, undefined);
  });

  it('grants no scope that was not asked for, as Logto', async () => {
    const { status, body } = await grant({ organization_id: demo.organizationId });
    assert.equal(status, 200);
    assert.equal((await verify(idp, body.access_token)).payload.scope, '');
  });

  it('refuses an app that is not a member of the organization with 403 access_denied', async () => {
    for (const organizationId of ['globex', 'no-such-organization']) {
      for (const extra of [{}, { resource: demo.resource }] as Record<string, string>[]) {
        const { status, body } = await grant({ organization_id: organizationId, ...extra });
        assert.equal(status, 403, organizationId);
        assert.deepEqual(body, {
          code: 'oidc.access_denied',
          message: 'Access denied.',
          error: 'access_denied',
          error_description: 'app has not associated with the organization',
        });
      }
    }
  });

  it('issues an organization-scoped API token with resource: its organization roles’ API scopes', async () => {
    const { status, body } = await grant({
      organization_id: demo.organizationId,
      resource: demo.resource,
      scope: 'read write',
    });
    assert.equal(status, 200);
    const { payload } = await verify(idp, body.access_token);
    assert.equal(payload.aud, demo.resource);
    assert.equal(payload.organization_id, demo.organizationId);
    assert.equal(payload.scope, 'write', 'from the organization roles, not the app’s own roles');
  });

  it('still needs a resource or an organization', async () => {
    const { status, body } = await grant({ scope: 'read' });
    assert.equal(status, 400);
    assert.equal(body.error, 'invalid_target');
    assert.equal(body.error_description, 'both `resource` and `organization_id` are not provided');
  });
});

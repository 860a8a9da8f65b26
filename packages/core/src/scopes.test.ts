import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildOrganizationUrn,
  DEFAULT_SCOPES,
  getOrganizationIdFromUrn,
  ReservedResource,
  UserInfoScope,
} from './scopes.js';

describe('scopes and organization URNs', () => {
  it('lists every Logto user scope', () => {
    assert.deepEqual(Object.values(UserInfoScope), [
      'openid',
      'offline_access',
      'profile',
      'email',
      'phone',
      'address',
      'custom_data',
      'identities',
      'roles',
      'urn:logto:scope:organizations',
      'urn:logto:scope:organization_roles',
    ]);
    assert.deepEqual(DEFAULT_SCOPES, ['openid', 'offline_access', 'profile']);
    assert.equal(ReservedResource.Organization, 'urn:logto:resource:organizations');
  });

  it('builds and parses organization URNs', () => {
    assert.equal(buildOrganizationUrn('org_1'), 'urn:logto:organization:org_1');
    assert.equal(getOrganizationIdFromUrn('urn:logto:organization:org_1'), 'org_1');
    assert.throws(() => getOrganizationIdFromUrn('urn:logto:organization:'), TypeError);
    assert.throws(() => getOrganizationIdFromUrn('org_1'), TypeError);
  });
});

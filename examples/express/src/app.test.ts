import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demo, HeadlessUser } from '@logto-kit/dev-server';
import { type ExampleEnv, startExample } from './test-env.js';

describe('example app, route for route', () => {
  let env: ExampleEnv;
  let user: HeadlessUser;
  before(async () => {
    env = await startExample();
    user = new HeadlessUser({ username: demo.username, password: demo.password });
  });
  after(() => env.close());

  it('shows "Not authenticated" and a sign-in link when signed out', async () => {
    const response = await fetch(`${env.baseUrl}/`);
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /Not authenticated/);
    assert.match(html, /href="\/sign-in"/);
  });

  it('answers /protected/no-redirect with 401 JSON when signed out', async () => {
    const response = await fetch(`${env.baseUrl}/protected/no-redirect`);
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { error: 'Not authenticated' });
  });

  it('signs in and shows who is signed in on /', async () => {
    const page = await user.visit(`${env.baseUrl}/sign-in`);
    assert.equal(page.url, `${env.baseUrl}/`);
    assert.match(page.body, /Signed in as <strong>Demo User<\/strong>/);
  });

  it('shows the ID token claims on /protected', async () => {
    const page = await user.visit(`${env.baseUrl}/protected`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<th>sub<\/th><td><code>demo-user-01<\/code>/);
    assert.match(page.body, /<th>email<\/th><td><code>demo@example.com<\/code>/);
  });

  it('shows the userinfo on /protected/userinfo', async () => {
    const page = await user.visit(`${env.baseUrl}/protected/userinfo`);
    assert.match(page.body, /<th>custom_data<\/th>/);
    assert.match(page.body, /&#34;plan&#34;: &#34;pro&#34;/);
    assert.match(page.body, /<th>organization_data<\/th>/);
  });

  it('answers /protected/no-redirect with JSON when signed in', async () => {
    const response = await user.request(`${env.baseUrl}/protected/no-redirect`);
    assert.equal(response.status, 200);
    assert.match(((await response.json()) as { message: string }).message, /User is authenticated/);
  });

  it('shows the organization token for the first organization', async () => {
    const page = await user.visit(`${env.baseUrl}/protected/organizations`);
    assert.equal(page.status, 200);
    assert.match(page.body, /urn:logto:organization:acme/);
    assert.match(page.body, /<th>scope<\/th><td><code>read:projects<\/code>/);
  });

  it('shows the API resource token', async () => {
    const page = await user.visit(`${env.baseUrl}/protected/api-resource`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<th>aud<\/th><td><code>https:\/\/api.example.com<\/code>/);
    assert.match(page.body, /<th>scope<\/th><td><code>read<\/code>/);
  });

  it('signs out and shows "Not authenticated" again', async () => {
    const page = await user.visit(`${env.baseUrl}/sign-out`);
    assert.equal(page.url, `${env.baseUrl}/`);
    assert.match(page.body, /Not authenticated/);
  });

  it('tells a user outside any organization so, instead of failing', async () => {
    const bob = new HeadlessUser({ username: 'bob', password: 'bob-password' });
    const page = await bob.visit(`${env.baseUrl}/sign-in?returnTo=/protected/organizations`);
    assert.equal(page.status, 200);
    assert.match(page.body, /not a member of any organization/);
  });
});

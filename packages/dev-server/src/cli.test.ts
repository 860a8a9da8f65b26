import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { authorizationRequest, basicAuth, exchangeCode } from '@logto-kit/testing/oidc-requests';
import { HeadlessUser } from './headless.js';
import { demo } from './seed.js';
import type { DevServer } from './server.js';

const cli = new URL('./cli.ts', import.meta.url).pathname;

function start(args: string[]) {
  return spawn(
    process.execPath,
    ['--conditions=@logto-kit/source', '--import', 'tsx', cli, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/**
 * Starts the CLI and waits for its banner. `out()` / `err()` keep growing as it prints (read
 * with listeners: leaving a `for await` loop would destroy the stream).
 */
async function startUntilBanner(args: string[]) {
  const child = start(args);
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    err += chunk;
  });
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Refresh token rotation')) resolve();
    });
  });
  return { child, out: () => out, err: () => err };
}

describe('logto-dev CLI', () => {
  it('prints the endpoint, app credentials and demo user, serves discovery, and stops on SIGTERM', async () => {
    const {
      child,
      out: printed,
      err: errors,
    } = await startUntilBanner(['--port', '0', '--app-url', 'http://localhost:4000']);
    const out = printed();
    const endpoint = /Endpoint\s+\(LOGTO_ENDPOINT\)\s+(\S+)/.exec(out)?.[1];
    assert.ok(endpoint, out);
    assert.match(out, /App ID\s+\(LOGTO_APP_ID\)\s+logto-kit-demo/);
    assert.match(out, /Redirect URI\s+http:\/\/localhost:4000\/callback/);
    assert.match(out, /Demo user\s+demo \/ demo-password/);
    assert.match(out, /Back-channel logout URI\s+http:\/\/localhost:4000\/backchannel-logout/);
    const response = await fetch(`${endpoint}/oidc/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    // A clean start prints no warning (oidc-provider's Node 22 notice included).
    assert.match(errors(), /logto-dev: issuer/);
    assert.doesNotMatch(errors(), /WARNING|Unsupported runtime/);
  });

  it('registers no back-channel logout URI with --no-backchannel-logout', async () => {
    const { child, out } = await startUntilBanner(['--port', '0', '--no-backchannel-logout']);
    assert.match(out(), /Back-channel logout URI\s+none/);
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it('prints nothing of oidc-provider while an app signs in and revokes its refresh token', async () => {
    const { child, out, err } = await startUntilBanner(['--port', '0']);
    const issuer = /Issuer\s+(\S+)/.exec(out())?.[1];
    assert.ok(issuer, out());
    const idp = { issuer } as DevServer;
    const request = authorizationRequest(idp);
    const callback = await new HeadlessUser(demo).signIn(request.url);
    const { body } = await exchangeCode(idp, callback, request.verifier);
    assert.equal(typeof body.refresh_token, 'string');
    const revoked = await fetch(`${issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth() },
      body: new URLSearchParams({ token: String(body.refresh_token) }),
    });
    assert.equal(revoked.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the child's output arrive
    child.kill('SIGTERM');
    await once(child, 'exit');
    assert.doesNotMatch(`${out()}${err()}`, /oidc-provider (NOTICE|WARNING)/);
  });

  it('explains a bad option in one line and exits with 2', async () => {
    const child = start(['--rotation', 'sometimes']);
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(err, /--rotation must be "logto" or "strict"/);
  });

  it('names --port and LOGTO_DEV_PORT when the port is in use, and exits with 2', async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const { port } = holder.address() as AddressInfo;
    try {
      const child = start(['--port', String(port)]);
      let err = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk) => {
        err += chunk;
      });
      const [code] = await once(child, 'exit');
      assert.equal(code, 2);
      assert.match(err, new RegExp(`port ${port} is in use`));
      assert.match(err, /--port/);
      assert.match(err, new RegExp(`LOGTO_DEV_PORT=${port + 100} npm start`));
    } finally {
      holder.close();
    }
  });
});

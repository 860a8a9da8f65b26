import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';

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

describe('logto-dev CLI', () => {
  it('prints the endpoint, app credentials and demo user, serves discovery, and stops on SIGTERM', async () => {
    const child = start(['--port', '0', '--app-url', 'http://localhost:4000']);
    let out = '';
    child.stdout.setEncoding('utf8');
    for await (const chunk of child.stdout) {
      out += chunk;
      if (out.includes('Refresh token rotation')) break;
    }
    const endpoint = /Endpoint\s+\(LOGTO_ENDPOINT\)\s+(\S+)/.exec(out)?.[1];
    assert.ok(endpoint, out);
    assert.match(out, /App ID\s+\(LOGTO_APP_ID\)\s+logto-kit-demo/);
    assert.match(out, /Redirect URI\s+http:\/\/localhost:4000\/callback/);
    assert.match(out, /Demo user\s+demo \/ demo-password/);
    const response = await fetch(`${endpoint}/oidc/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
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

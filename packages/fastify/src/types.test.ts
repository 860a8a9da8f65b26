// The declaration merging, type-checked: `request.logto` and `request.user` are typed in an app,
// and a plugin that declares `request.user` itself (as @fastify/jwt does, with its default
// `string | object | Buffer`) keeps its type with no conflict, `logtoUser()` reading Logto's.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import ts from 'typescript';

const root = new URL('../../../', import.meta.url).pathname;

/** Type-checks one module in the repository's settings; returns its diagnostics as text. */
function check(code: string): string[] {
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'fastify-types-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'app.ts');
  writeFileSync(file, code);
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  assert.ok(config, 'tsconfig.json parses');
  const program = ts.createProgram([file], {
    ...config.options,
    noEmit: true,
    skipLibCheck: false,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter(
      (diagnostic) => diagnostic.file?.fileName === file || !diagnostic.file?.isDeclarationFile,
    )
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '));
}

const app = `
import { authenticated, logto, logtoUser, type LogtoUser } from '@logto-kit/fastify';
import Fastify, { type FastifyRequest } from 'fastify';
const app = Fastify();
app.get('/me', { preHandler: authenticated() }, async (request) => request.logto.isAuthenticated());
export const fromLogto = (request: FastifyRequest): LogtoUser | undefined => logtoUser(request);
export { app, logto };
`;

describe('@logto-kit/fastify types', () => {
  it('types request.user as a LogtoUser or null', () => {
    const code = `${app}
export const user = (request: FastifyRequest): LogtoUser | null => request.user;
export const sub = (request: FastifyRequest): string | undefined => request.user?.sub;
// @ts-expect-error: null where no guard ran
export const unchecked = (request: FastifyRequest) => request.user.sub;
`;
    assert.deepEqual(check(code), []);
  });

  it("gives way to another plugin's request.user, as @fastify/jwt declares it", () => {
    const code = `${app}
declare module 'fastify' {
  interface FastifyRequest {
    user: string | object | Buffer;
  }
}
export const jwtUser = (request: FastifyRequest): string | object | Buffer => request.user;
// @ts-expect-error: the other plugin's type, not Logto's
export const sub = (request: FastifyRequest) => request.user.sub;
`;
    assert.deepEqual(check(code), []);
  });
});

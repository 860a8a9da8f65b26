// Test helpers: raw HTTP requests (any request target, any Cookie header) and the checks every
// answer to hostile input must pass.
import assert from 'node:assert/strict';
import { request } from 'node:http';

/** An answer to a raw request. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Sends `GET <target>` as is (no URL normalisation, unlike `fetch`), with the given headers.
 * The target must only hold characters Node sends on the wire: use {@link wireSafe}.
 */
export function rawGet(
  port: number,
  target: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Percent-encodes what Node refuses to put in a request target or header; keeps the rest raw. */
export function wireSafe(value: string): string {
  return value.replace(/[^\x21-\x7e]/gu, (char) => encodeURIComponent(char));
}

/** Keeps only characters a `Cookie` header value may carry on the wire. */
export function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '');
}

/** Something that looks like a JWT (three base64url parts, the first two JSON objects). */
const jwtLike = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/;

/**
 * What every answer to hostile input must be: not a server error, and no token in the body
 * (no JWT-looking string, none of the `secrets` — the tokens of the signed-in test user).
 */
export function assertSafeAnswer(response: RawResponse, secrets: readonly string[] = []): void {
  assert.ok(response.status > 0 && response.status < 500, `HTTP ${response.status}`);
  assert.doesNotMatch(response.body, jwtLike, 'a JWT in the body');
  for (const secret of secrets) {
    assert.ok(!response.body.includes(secret), 'a token of the session in the body');
  }
}

/** Records unhandled rejections and uncaught exceptions while a suite runs. */
export function watchProcess(): { problems: unknown[]; stop(): void } {
  const problems: unknown[] = [];
  const record = (error: unknown): void => {
    problems.push(error);
  };
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  return {
    problems,
    stop: () => {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
    },
  };
}

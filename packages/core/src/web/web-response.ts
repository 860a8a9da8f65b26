/**
 * What core answers: one plain response type for every outcome (redirect, page, JSON, status),
 * which an adapter writes to its framework's response as it is.
 *
 * @module
 */

/**
 * A response core decided: the status, the headers (lower-case names, no `set-cookie`: cookies
 * come from {@link LogtoRequest.finish}) and the body (`''` for a redirect). Responses core makes
 * carry `cache-control: no-store`: they depend on the session or carry one-time values.
 *
 * @example
 * ```ts
 * const response: WebResponse = { status: 303, headers: { location: '/' }, body: '' };
 * res.status(response.status).set(response.headers).end(response.body);
 * ```
 */
export interface WebResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const noStore = { 'cache-control': 'no-store' } as const;

/**
 * A `303 See Other` to `location`, with an empty body: the end-session URL carries the ID token
 * (`id_token_hint`), so no redirect repeats its URL in a body.
 */
export function redirectTo(location: string): WebResponse {
  return { status: 303, headers: { ...noStore, location }, body: '' };
}

/** A JSON response. */
export function jsonResponse(
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): WebResponse {
  return {
    status,
    headers: { ...noStore, 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

/** An HTML page. */
export function htmlResponse(status: number, html: string): WebResponse {
  return {
    status,
    headers: { ...noStore, 'content-type': 'text/html; charset=utf-8' },
    body: html,
  };
}

/**
 * A Web `Response` for a {@link WebResponse}, with `Set-Cookie` values appended: what adapters
 * on Web standards (Hono, Next.js) return.
 *
 * @example
 * ```ts
 * return toFetchResponse(await request.route()!, cookies);
 * ```
 */
export function toFetchResponse(response: WebResponse, cookies: readonly string[] = []): Response {
  const headers = new Headers(response.headers);
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  const empty = response.body === '' || response.status === 204 || response.status === 304;
  return new Response(empty ? null : response.body, { status: response.status, headers });
}

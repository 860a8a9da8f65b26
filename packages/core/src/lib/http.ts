import type { FetchFunction } from '../config.js';
import {
  LogtoError,
  ProviderResponseError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '../errors.js';

/** Statuses whose response has no body (the `Response` constructor refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Wraps `fetch` so every exchange with the provider — the headers and the whole body — ends
 * within `timeout` ms and fails with a {@link LogtoError} (`provider.timeout` /
 * `provider.unavailable`) instead of a bare TypeError. The body is read here, under the same
 * deadline, and handed on as a complete `Response`: a provider that sends its headers and then
 * trickles the body cannot hold the caller past the deadline.
 *
 * The deadline is a plain timer that holds its `AbortController` strongly until the exchange
 * settles, not an `AbortSignal.timeout()` combined with `AbortSignal.any()`: those are only
 * weakly held, and after a garbage collection neither timer fires.
 */
export function createProviderFetch(
  custom: FetchFunction | undefined,
  timeout: number,
): FetchFunction {
  return async function providerFetch(input, init) {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('The provider did not answer in time.', 'TimeoutError'));
    }, timeout);
    const outer = init?.signal ?? undefined;
    const forward = (): void => controller.abort(outer?.reason);
    if (outer?.aborted) forward();
    else outer?.addEventListener('abort', forward, { once: true });
    const run = custom ?? globalThis.fetch;
    try {
      const response = await run(input, { ...init, signal: controller.signal });
      const body = await readBody(response, controller.signal);
      return new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      throw toNetworkError(error, timedOut);
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', forward);
    }
  };
}

/**
 * The whole body, or a rejection as soon as `signal` aborts (even when a custom `fetch` does
 * not abort its body stream itself; the stream is then cancelled).
 */
async function readBody(response: Response, signal: AbortSignal): Promise<ArrayBuffer> {
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      reject(signal.reason);
      response.body?.cancel(signal.reason).catch(() => undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([response.arrayBuffer(), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}

/** Turns a rejected fetch or body read into a coded error. */
export function toNetworkError(error: unknown, timedOut = false): Error {
  if (error instanceof LogtoError) return error;
  if (isTimeout(error) || timedOut) {
    return new ProviderTimeoutError(undefined, { cause: error });
  }
  return new ProviderUnavailableError(undefined, { cause: error });
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

/** GETs a JSON document from the provider (discovery, JWKS) within the timeout. */
export async function getJson(
  fetch: FetchFunction,
  url: string,
  what: string,
  timeout: number,
): Promise<unknown> {
  const response = await fetch(url, {
    method: 'GET',
    headers: { accept: 'application/json' },
    redirect: 'manual',
    signal: AbortSignal.timeout(timeout),
  });
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new ProviderResponseError(`The ${what} request failed with HTTP ${response.status}.`, {
      status: response.status,
    });
  }
  try {
    return await response.json();
  } catch (error) {
    throw new ProviderResponseError(`The ${what} response is not JSON.`, { cause: error });
  }
}

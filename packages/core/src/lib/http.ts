import type { FetchFunction } from '../config.js';
import {
  LogtoError,
  ProviderResponseError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '../errors.js';

/**
 * Wraps `fetch` so every request to the provider ends within `timeout` ms and fails with a
 * {@link LogtoError} (`provider.timeout` / `provider.unavailable`) instead of a bare TypeError.
 */
export function createProviderFetch(
  custom: FetchFunction | undefined,
  timeout: number,
): FetchFunction {
  return async function providerFetch(input, init) {
    const timeoutSignal = AbortSignal.timeout(timeout);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeoutSignal]) : timeoutSignal;
    const run = custom ?? globalThis.fetch;
    try {
      return await run(input, { ...init, signal });
    } catch (error) {
      throw toNetworkError(error, timeoutSignal);
    }
  };
}

/** Turns a rejected fetch or body read into a coded error. */
export function toNetworkError(error: unknown, timeoutSignal?: AbortSignal): Error {
  if (error instanceof LogtoError) return error;
  if (isTimeout(error) || timeoutSignal?.aborted) {
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
  const timeoutSignal = AbortSignal.timeout(timeout);
  const response = await fetch(url, {
    method: 'GET',
    headers: { accept: 'application/json' },
    redirect: 'manual',
    signal: timeoutSignal,
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
    if (isTimeout(error) || timeoutSignal.aborted) {
      throw new ProviderTimeoutError(undefined, { cause: error });
    }
    throw new ProviderResponseError(`The ${what} response is not JSON.`, { cause: error });
  }
}

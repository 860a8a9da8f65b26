/**
 * OpenTelemetry, when the app has it: spans around the slow or decisive steps and counters of
 * sign-ins, refreshes and failures, through `@opentelemetry/api` (an optional peer dependency).
 *
 * | span                       | around                                                        |
 * | -------------------------- | ------------------------------------------------------------- |
 * | `logto.sign_in`            | `client.signIn` (discovery, PKCE, the transaction's write)    |
 * | `logto.callback`           | `client.handleSignInCallback`, checks to stored tokens        |
 * | `logto.code_exchange`      | the token request of a callback and the ID token's checks     |
 * | `logto.refresh`            | one caller's refresh; `logto.refresh.coalesced` when it made  |
 * |                            | no token request of its own (joined or took another's grant)  |
 * | `logto.refresh_grant`      | the refresh-token request itself (at most one per token)      |
 * | `logto.userinfo`           | the userinfo request                                          |
 * | `logto.discovery`          | a discovery fetch (not the cached reads)                      |
 * | `logto.jwks`               | a JWKS fetch (not the cached reads)                           |
 * | `logto.session_store.*`    | `get`, `set`, `delete`, `delete_by_sid` of a session store    |
 *
 * Counters: `logto.sign_ins` (completed), `logto.refreshes` (refresh-token requests sent),
 * `logto.refreshes.coalesced` (refreshes served by another request's grant), `logto.failures`
 * (by `error.type`, the {@link LogtoError} code, and `logto.operation`, the span). Attributes
 * are names, kinds and endpoint URLs without a query: never a token, code, secret, session id
 * or cookie value. A failed span carries `error.type` and, for a `LogtoError`, its message
 * (which never holds any of those either); no exception event, whose stack or message could.
 *
 * Loading: `@opentelemetry/api` is imported once, lazily (the first client config starts it),
 * with a specifier bundlers leave alone — an app without it, or a runtime that cannot import
 * at run time (a bundled Worker), gets no telemetry and no error. Until it has settled, the
 * first traced step waits for it; after that, absent telemetry costs one property check.
 */
import type * as otel from '@opentelemetry/api';
import { isLogtoError } from '../errors.js';

type Api = typeof otel;

/** The spans of the module description. */
export type SpanName =
  | 'logto.sign_in'
  | 'logto.callback'
  | 'logto.code_exchange'
  | 'logto.refresh'
  | 'logto.refresh_grant'
  | 'logto.userinfo'
  | 'logto.discovery'
  | 'logto.jwks'
  | 'logto.session_store.get'
  | 'logto.session_store.set'
  | 'logto.session_store.delete'
  | 'logto.session_store.delete_by_sid';

/** The counters of the module description, except failures (counted by {@link traced}). */
export type CounterName = 'logto.sign_ins' | 'logto.refreshes' | 'logto.refreshes.coalesced';

/** Attribute values a span or counter may carry: never a token, code or secret. */
export type SafeAttributes = Readonly<Record<string, string | number | boolean>>;

/** What a traced step may add to its span. */
export interface SpanHandle {
  setAttribute(name: string, value: string | number | boolean): void;
}

const noSpan: SpanHandle = { setAttribute: () => {} };
const SCOPE = '@logto-kit/core';

/** The module's one loader; a settled load is never retried. */
class Telemetry {
  /** `undefined` until the import settled; `null` when there is no API. */
  api: Api | null | undefined;
  #loading: Promise<void> | undefined;
  #tracer: otel.Tracer | undefined;
  #meters: { provider: otel.MeterProvider; counters: Map<string, otel.Counter> } | undefined;
  readonly #counted = new WeakSet<object>();

  /** Starts the import (once) and returns its settling. */
  load(): Promise<void> {
    this.#loading ??= (async () => {
      try {
        // A variable specifier: bundlers neither resolve nor inline it, so an app without the
        // package still builds, and one with it shares the app's own copy (and its providers).
        const specifier = '@opentelemetry/api';
        const module = (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as
          | (Api & { default?: Api })
          | undefined;
        const api = module?.trace ? module : module?.default;
        this.api = api?.trace && api.metrics && api.context ? api : null;
      } catch {
        // Not installed, or no dynamic import here: telemetry stays off.
        this.api = null;
      }
    })();
    return this.#loading;
  }

  tracer(api: Api): otel.Tracer {
    // The global provider is a proxy: a provider registered later is still used.
    this.#tracer ??= api.trace.getTracer(SCOPE);
    return this.#tracer;
  }

  counter(api: Api, name: string, description: string): otel.Counter {
    // Meter providers have no proxy: follow the registered one.
    const provider = api.metrics.getMeterProvider();
    if (this.#meters?.provider !== provider) this.#meters = { provider, counters: new Map() };
    let counter = this.#meters.counters.get(name);
    if (!counter) {
      counter = provider.getMeter(SCOPE).createCounter(name, { description });
      this.#meters.counters.set(name, counter);
    }
    return counter;
  }

  /** Whether `error` is counted now (each error once, however many spans it leaves). */
  firstSight(error: object): boolean {
    if (this.#counted.has(error)) return false;
    this.#counted.add(error);
    return true;
  }
}

const telemetry = new Telemetry();

/**
 * Starts loading `@opentelemetry/api` (once per process); the client config calls it, so the
 * import has usually settled before the first request. Tests await it.
 */
export function loadTelemetry(): Promise<void> {
  return telemetry.load();
}

/** Whether spans are made now: a property check, for paths run on every request. */
export function telemetryEnabled(): boolean {
  return telemetry.api != null;
}

const descriptions: Record<CounterName | 'logto.failures', string> = {
  'logto.sign_ins': 'Completed sign-ins (callbacks that stored a session).',
  'logto.refreshes': 'Refresh-token requests sent to the provider.',
  'logto.refreshes.coalesced':
    "Refreshes served by another request's grant (joined in flight or taken from its result).",
  'logto.failures': 'Failed steps, by error code and operation.',
};

/** `url.full` of a provider endpoint, without its query (which is never the place for one). */
export function urlAttribute(url: string): SafeAttributes {
  if (!URL.canParse(url)) return {};
  const parsed = new URL(url);
  return { 'url.full': `${parsed.origin}${parsed.pathname}` };
}

/** Adds one to a counter; nothing when telemetry is off. */
export function count(name: CounterName, attributes?: SafeAttributes): void {
  const api = telemetry.api;
  if (!api) return;
  telemetry.counter(api, name, descriptions[name]).add(1, attributes);
}

/**
 * Runs `step` in an active span `name` (a child of the caller's span). On failure the span's
 * status is ERROR with `error.type`, and `logto.failures` counts the error once.
 */
export async function traced<T>(
  name: SpanName,
  attributes: SafeAttributes | undefined,
  step: (span: SpanHandle) => Promise<T>,
): Promise<T> {
  if (telemetry.api === undefined) await telemetry.load();
  const api = telemetry.api;
  if (!api) return step(noSpan);
  return telemetry.tracer(api).startActiveSpan(name, { attributes }, async (span): Promise<T> => {
    try {
      return await step(span);
    } catch (error) {
      fail(api, span, name, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

function fail(api: Api, span: otel.Span, name: SpanName, error: unknown): void {
  const logto = isLogtoError(error);
  const type = logto ? error.code : error instanceof Error ? error.name : 'unknown';
  span.setAttribute('error.type', type);
  span.setStatus({
    code: api.SpanStatusCode.ERROR,
    ...(logto ? { message: error.message } : {}),
  });
  if (typeof error === 'object' && error !== null && !telemetry.firstSight(error)) return;
  telemetry
    .counter(api, 'logto.failures', descriptions['logto.failures'])
    .add(1, { 'error.type': type, 'logto.operation': name });
}

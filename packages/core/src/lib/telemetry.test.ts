/**
 * OpenTelemetry against the real local identity provider: the SDK's in-memory span exporter and
 * a metric reader registered globally, as an app would, and the client doing real sign-ins and
 * refreshes.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  completeSignIn,
  type DevServer,
  defaultSeed,
  demo,
  startDevServer,
} from '@logto-kit/dev-server';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  type DataPoint,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { LogtoClient } from '../client.js';
import { MemorySessionStore } from '../session/store.js';
import { tracedStore } from '../session/traced-store.js';
import { MemoryStorage } from '../storage.js';
import { readAccessTokenMap } from '../tokens.js';
import { loadTelemetry } from './telemetry.js';

/** Collects on demand: `collect()` is the whole of a pull reader. */
class TestMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const REDIRECT_URI = 'http://localhost:3000/callback';

describe('OpenTelemetry', () => {
  const exporter = new InMemorySpanExporter();
  const reader = new TestMetricReader();
  let idp: DevServer;

  before(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    await loadTelemetry();
    idp = await startDevServer({
      port: 0,
      quiet: true,
      seed: defaultSeed({ appBaseUrl: 'http://localhost:3000' }),
    });
  });
  after(async () => {
    await idp.close();
    trace.disable();
    metrics.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  const newClient = (storage = new MemoryStorage()): LogtoClient =>
    new LogtoClient(
      { endpoint: idp.endpoint, appId: demo.appId, appSecret: demo.appSecret, logger: false },
      { storage },
    );

  async function signedIn(): Promise<{ storage: MemoryStorage; code: string }> {
    const storage = new MemoryStorage();
    const client = newClient(storage);
    const url = await client.signIn({ redirectUri: REDIRECT_URI });
    const callback = await completeSignIn(url, {
      username: demo.username,
      password: demo.password,
    });
    await client.handleSignInCallback(callback);
    return { storage, code: new URL(callback).searchParams.get('code') ?? '' };
  }

  function expireAccessTokens(storage: MemoryStorage): void {
    const map = readAccessTokenMap(storage.get('accessTokenMap'));
    for (const entry of Object.values(map)) entry.expiresAt = 0;
    storage.set('accessTokenMap', JSON.stringify(map));
  }

  const spans = (name: string): ReadableSpan[] =>
    exporter.getFinishedSpans().filter((span) => span.name === name);
  const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

  async function counter(name: string): Promise<DataPoint<number>[]> {
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((candidate) => candidate.descriptor.name === name);
    return (metric?.dataPoints ?? []) as DataPoint<number>[];
  }
  const total = async (name: string): Promise<number> =>
    (await counter(name)).reduce((sum, point) => sum + point.value, 0);

  /** Every attribute value and status message of the finished spans. */
  function recorded(): string {
    return JSON.stringify(
      exporter.getFinishedSpans().map((span) => [span.attributes, span.status.message ?? '']),
    );
  }

  it('traces a sign-in: the callback holds the code exchange, which holds the key fetch', async () => {
    const before = await total('logto.sign_ins');
    const { storage, code } = await signedIn();
    const [signIn] = spans('logto.sign_in');
    const [callback] = spans('logto.callback');
    const [exchange] = spans('logto.code_exchange');
    assert.ok(signIn && callback && exchange, 'sign-in, callback and code exchange spans');
    assert.equal(parentOf(exchange), callback.spanContext().spanId);
    assert.match(String(exchange.attributes['url.full']), /\/oidc\/token$/);
    const fetches = [...spans('logto.discovery'), ...spans('logto.jwks')];
    assert.equal(fetches.length, 2, 'the first sign-in of the process fetched both');
    for (const fetch of fetches) {
      assert.ok(parentOf(fetch), `${fetch.name} runs inside the step that needed it`);
      assert.doesNotMatch(String(fetch.attributes['url.full']), /\?/);
    }
    assert.equal((await total('logto.sign_ins')) - before, 1);

    const secrets = [
      code,
      demo.appSecret,
      storage.get('idToken'),
      storage.get('refreshToken'),
      readAccessTokenMap(storage.get('accessTokenMap'))['']?.token,
    ];
    for (const secret of secrets) {
      assert.ok(secret, 'each secret was there to look for');
      assert.ok(!recorded().includes(secret), 'no attribute holds a token, code or secret');
    }
  });

  it('traces a userinfo call with its endpoint and no token', async () => {
    const { storage } = await signedIn();
    exporter.reset();
    const info = await newClient(storage).fetchUserInfo();
    assert.equal(info.sub, 'demo-user-01');
    const [userinfo] = spans('logto.userinfo');
    assert.ok(userinfo, 'a userinfo span');
    assert.match(String(userinfo.attributes['url.full']), /\/oidc\/me$/);
    const accessToken = readAccessTokenMap(storage.get('accessTokenMap'))['']?.token;
    assert.ok(accessToken);
    assert.ok(!recorded().includes(accessToken), 'no attribute holds the access token');
  });

  it('traces a refresh: one grant inside it, not coalesced, counted', async () => {
    const { storage } = await signedIn();
    expireAccessTokens(storage);
    exporter.reset();
    const before = await total('logto.refreshes');
    await newClient(storage).getAccessToken();
    const [refresh] = spans('logto.refresh');
    const [grant] = spans('logto.refresh_grant');
    assert.ok(refresh && grant);
    assert.equal(parentOf(grant), refresh.spanContext().spanId);
    assert.equal(refresh.attributes['logto.refresh.coalesced'], false);
    assert.equal(refresh.attributes['logto.refresh.target'], 'default');
    assert.equal((await total('logto.refreshes')) - before, 1);
    assert.ok(!recorded().includes(storage.get('refreshToken') ?? '-'));
  });

  it('marks the refreshes that waited on another request’s grant as coalesced', async () => {
    const { storage } = await signedIn();
    expireAccessTokens(storage);
    exporter.reset();
    const refreshesBefore = await total('logto.refreshes');
    const coalescedBefore = await total('logto.refreshes.coalesced');
    // Five requests of one session, each with its own copy of the cookie's tokens.
    const copies = Array.from({ length: 5 }, () => {
      const copy = new MemoryStorage();
      for (const key of ['idToken', 'refreshToken', 'accessTokenMap'] as const) {
        const value = storage.get(key);
        if (value !== null && value !== undefined) copy.set(key, value);
      }
      return copy;
    });
    const tokens = await Promise.all(copies.map((copy) => newClient(copy).getAccessToken()));
    assert.equal(new Set(tokens).size, 1, 'one grant served all five');
    const refreshes = spans('logto.refresh');
    assert.equal(refreshes.length, 5);
    assert.equal(spans('logto.refresh_grant').length, 1);
    const coalesced = refreshes.filter((span) => span.attributes['logto.refresh.coalesced']);
    assert.equal(coalesced.length, 4);
    assert.equal((await total('logto.refreshes')) - refreshesBefore, 1);
    assert.equal((await total('logto.refreshes.coalesced')) - coalescedBefore, 4);
  });

  it('marks a refused refresh as an error with its code, and counts the failure once', async () => {
    const { storage } = await signedIn();
    expireAccessTokens(storage);
    storage.set('refreshToken', 'not-a-refresh-token-from-this-provider');
    exporter.reset();
    const failures = async (): Promise<number> =>
      (await counter('logto.failures'))
        .filter((point) => point.attributes['error.type'] === 'oauth.invalid_grant')
        .reduce((sum, point) => sum + point.value, 0);
    const before = await failures();
    await assert.rejects(newClient(storage).getAccessToken(), { code: 'oauth.invalid_grant' });
    const [refresh] = spans('logto.refresh');
    const [grant] = spans('logto.refresh_grant');
    assert.ok(refresh && grant);
    for (const span of [refresh, grant]) {
      assert.equal(span.status.code, 2, `${span.name} has status ERROR`);
      assert.equal(span.attributes['error.type'], 'oauth.invalid_grant');
    }
    assert.equal((await failures()) - before, 1, 'counted once, where it happened');
    const [point] = (await counter('logto.failures')).filter(
      (candidate) => candidate.attributes['error.type'] === 'oauth.invalid_grant',
    );
    assert.equal(point?.attributes['logto.operation'], 'logto.refresh_grant');
    assert.ok(!recorded().includes('not-a-refresh-token-from-this-provider'));
  });

  it('traces session-store calls without the session id', async () => {
    const store = tracedStore(new MemorySessionStore());
    const id = 'session-id-that-is-as-good-as-the-cookie';
    const session = { version: 1 } as never;
    await store.set(id, session, { expiresAt: Math.floor(Date.now() / 1000) + 60 });
    await store.get(id);
    await store.delete(id);
    assert.deepEqual(
      exporter.getFinishedSpans().map((span) => span.name),
      ['logto.session_store.set', 'logto.session_store.get', 'logto.session_store.delete'],
    );
    assert.ok(!recorded().includes(id));
  });
});

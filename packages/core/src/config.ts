/**
 * The client configuration: one zod schema, validated once, frozen.
 *
 * @module
 */
import { z } from 'zod';
import { loadTelemetry } from './lib/telemetry.js';
import { isLoopbackHost } from './lib/url.js';
import { isLogger, type LevelLogger, type Logger, resolveLogger } from './logger.js';
import { isRefreshLock, type RefreshLock } from './refresh/lock.js';
import { DEFAULT_SCOPES, ReservedResource, UserInfoScope } from './scopes.js';

/**
 * The `fetch` signature the client calls for every HTTP request.
 *
 * @example
 * ```ts
 * const fetch: FetchFunction = (input, init) => globalThis.fetch(input, init);
 * ```
 */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

const promptSchema = z.enum(['consent', 'login', 'none', 'select_account']);

/**
 * The schema of {@link LogtoClientConfig}. Parsing it normalises the input into a
 * {@link LogtoConfig}.
 *
 * @example
 * ```ts
 * const result = logtoConfigSchema.safeParse(input);
 * ```
 */
export const logtoConfigSchema = z
  .object({
    /** Your Logto endpoint, e.g. `https://tenant.logto.app` (the issuer is `<endpoint>/oidc`). */
    endpoint: z.string().min(1),
    /** The application ID. */
    appId: z.string().min(1),
    /** The application secret; omit it for a public client. */
    appSecret: z.string().min(1).optional(),
    /** Extra scopes; `openid offline_access profile` are always added. */
    scopes: z.array(z.string().min(1)).optional(),
    /** API resource indicators to request at sign-in. */
    resources: z.array(z.string().min(1)).optional(),
    /** `prompt` for sign-in; `consent` (the default) is what gets a refresh token from Logto. */
    prompt: z.union([promptSchema, z.array(promptSchema).min(1)]).optional(),
    /** How a confidential client authenticates at the token endpoint. */
    clientAuthMethod: z.enum(['client_secret_basic', 'client_secret_post']).optional(),
    /** Milliseconds before a request to the provider fails with `provider.timeout`. */
    timeout: z.number().int().min(1).max(120_000).optional(),
    /** Seconds of clock skew tolerated when checking `exp` / `iat`. */
    clockTolerance: z.number().int().min(0).max(300).optional(),
    /** A `fetch` to use instead of the global one. */
    fetch: z.custom<FetchFunction>((value) => typeof value === 'function').optional(),
    /**
     * Makes refresh single-flight across app instances (e.g. `RedisRefreshLock` from
     * `@logto-kit/redis`). Without it refresh is single-flight within this process only.
     */
    refreshLock: z
      .custom<RefreshLock>(isRefreshLock, 'must have acquire, get and set methods')
      .optional(),
    /**
     * Where failures are explained (one line each, never a token or secret) and, at `debug`,
     * auth decisions: `console`, pino, winston, any object with level methods; `false` for
     * silence. Default: warnings and errors to the console.
     */
    logger: z
      .union([
        z.literal(false),
        z.custom<Logger>(isLogger, 'needs level methods (debug, info, warn or error), or false'),
      ])
      .optional(),
  })
  .strict();

/**
 * What you pass to `new LogtoClient(config, …)`.
 *
 * @example
 * ```ts
 * const config: LogtoClientConfig = {
 *   endpoint: 'https://tenant.logto.app',
 *   appId: 'app-id',
 *   appSecret: 'app-secret',
 *   scopes: [UserInfoScope.Email],
 *   resources: ['https://api.example.com'],
 * };
 * ```
 */
export type LogtoClientConfig = z.input<typeof logtoConfigSchema>;

/**
 * A validated, normalised, frozen configuration.
 *
 * @example
 * ```ts
 * client.config.scopes; // ['email', 'openid', 'offline_access', 'profile']
 * ```
 */
export interface LogtoConfig {
  /** The endpoint without a trailing slash. */
  readonly endpoint: string;
  /** `<endpoint>/oidc`, the issuer the provider must announce. */
  readonly issuer: string;
  readonly appId: string;
  readonly appSecret: string | undefined;
  /** Configured scopes first, then the defaults not already present; no duplicates. */
  readonly scopes: readonly string[];
  /** Configured resources, plus the organizations resource when the scope asks for it. */
  readonly resources: readonly string[];
  readonly prompt: readonly string[];
  /** `none` for a public client. */
  readonly clientAuthMethod: 'client_secret_basic' | 'client_secret_post' | 'none';
  /** Milliseconds. */
  readonly timeout: number;
  /** Seconds. */
  readonly clockTolerance: number;
  readonly fetch: FetchFunction | undefined;
  /** Cross-instance refresh coordination, when configured. */
  readonly refreshLock: RefreshLock | undefined;
  /** Whether the endpoint is plain `http://` on a loopback host. */
  readonly insecureLoopback: boolean;
  /** The configured logger with every level (the default, or silent for `false`). */
  readonly logger: LevelLogger;
}

/**
 * The default request timeout: 10 s.
 *
 * @example
 * ```ts
 * new LogtoClient({ endpoint, appId, timeout: DEFAULT_TIMEOUT / 2 }, { storage });
 * ```
 */
export const DEFAULT_TIMEOUT = 10_000;
/**
 * The default clock tolerance: 60 s.
 *
 * @example
 * ```ts
 * client.config.clockTolerance === DEFAULT_CLOCK_TOLERANCE;
 * ```
 */
export const DEFAULT_CLOCK_TOLERANCE = 60;

const resolved = new WeakMap<object, LogtoConfig>();

/**
 * Validates and normalises a configuration once. The same input object always gives the same
 * frozen result, so per-request clients built from one config object cost nothing; a resolved
 * config (`client.config`) is accepted as is. Throws a
 * `TypeError` that names every problem; the secret's value never appears in it.
 *
 * @example
 * ```ts
 * const config = resolveConfig({ endpoint: 'https://tenant.logto.app', appId: 'app-id' });
 * ```
 */
export function resolveConfig(input: LogtoClientConfig | LogtoConfig): LogtoConfig {
  if (typeof input !== 'object' || input === null) {
    throw new TypeError('The Logto client config must be an object.');
  }
  const cached = resolved.get(input);
  if (cached) return cached;

  const result = logtoConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`,
    );
    throw new TypeError(`Invalid Logto client config (${problems.join('; ')}).`);
  }
  const parsed = result.data;
  const { endpoint, insecureLoopback } = normaliseEndpoint(parsed.endpoint);

  const scopes = unique([...(parsed.scopes ?? []), ...DEFAULT_SCOPES]);
  const resources = unique([
    ...(parsed.resources ?? []).map((resource) => checkResource(resource)),
    ...(scopes.includes(UserInfoScope.Organizations) ? [ReservedResource.Organization] : []),
  ]);
  const prompt = unique(parsed.prompt === undefined ? ['consent'] : [parsed.prompt].flat());

  const config: LogtoConfig = Object.freeze({
    endpoint,
    issuer: `${endpoint}/oidc`,
    appId: parsed.appId,
    appSecret: parsed.appSecret,
    scopes: Object.freeze(scopes),
    resources: Object.freeze(resources),
    prompt: Object.freeze(prompt),
    clientAuthMethod: parsed.appSecret
      ? (parsed.clientAuthMethod ?? 'client_secret_basic')
      : 'none',
    timeout: parsed.timeout ?? DEFAULT_TIMEOUT,
    clockTolerance: parsed.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE,
    fetch: parsed.fetch,
    refreshLock: parsed.refreshLock,
    insecureLoopback,
    logger: resolveLogger(parsed.logger),
  });
  resolved.set(input, config);
  resolved.set(config, config); // a resolved config resolves to itself
  // OpenTelemetry, when installed, is loaded once per process; this starts it early.
  void loadTelemetry();
  return config;
}

function normaliseEndpoint(value: string): { endpoint: string; insecureLoopback: boolean } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError('Invalid Logto client config (endpoint: not an absolute URL).');
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new TypeError(
      'Invalid Logto client config (endpoint: must not have a query, fragment or credentials).',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError('Invalid Logto client config (endpoint: must be https://).');
  }
  const insecureLoopback = url.protocol === 'http:';
  if (insecureLoopback && !isLoopbackHost(url.hostname)) {
    throw new TypeError(
      'Invalid Logto client config (endpoint: plain http:// is only allowed for localhost / 127.0.0.1 / ::1).',
    );
  }
  return { endpoint: url.href.replace(/\/+$/, ''), insecureLoopback };
}

function checkResource(resource: string): string {
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    throw new TypeError(
      'Invalid Logto client config (resources: each resource must be an absolute URI).',
    );
  }
  if (url.hash) {
    throw new TypeError('Invalid Logto client config (resources: a resource has no fragment).');
  }
  return resource;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

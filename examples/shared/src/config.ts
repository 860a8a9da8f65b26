import { randomBytes } from 'node:crypto';

/** Everything the example reads from the environment, checked once at start. */
export interface ExampleConfig {
  port: number;
  endpoint: string;
  appId: string;
  appSecret: string | undefined;
  baseUrl: string;
  sessionSecret: string;
  /** True when no SESSION_SECRET was given and one was generated (local provider only). */
  generatedSessionSecret: boolean;
  resource: string | undefined;
  extraScopes: string[];
  /**
   * SESSION_STORE: where server-side sessions shared by instances live: `redis://…` (or
   * `rediss://`) for one Redis, `redis+cluster://host:port,…` for Redis Cluster,
   * `redis+sentinel://host:port,…/master-name` for Sentinel.
   */
  sessionStore: string | undefined;
  /**
   * LOGTO_M2M_APP_ID / LOGTO_M2M_APP_SECRET: a machine-to-machine app, for the page that calls the
   * API as the app itself (client credentials). Both or neither.
   */
  machine: { appId: string; appSecret: string } | undefined;
}

/** A setting that is missing or wrong: its message is one line saying which and how to fix it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const isLoopback = (url: URL): boolean =>
  url.hostname === 'localhost' || url.hostname === '[::1]' || url.hostname.startsWith('127.');

function url(env: NodeJS.ProcessEnv, name: string, fallback?: string): string {
  const value = env[name]?.trim() || fallback;
  if (!value) throw new ConfigError(`${name} is not set. Set it in the environment or in .env.`);
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new ConfigError(`${name} must be an http(s) URL, got "${value}".`);
  }
  return value.replace(/\/+$/, '');
}

/**
 * Reads the example's settings: PORT (3000), LOGTO_ENDPOINT, LOGTO_APP_ID, LOGTO_APP_SECRET,
 * LOGTO_BASE_URL (http://localhost:$PORT), SESSION_SECRET, LOGTO_RESOURCE, LOGTO_SCOPES,
 * SESSION_STORE (`redis://…`, `redis+cluster://…` or `redis+sentinel://…`: sessions in Redis,
 * shared by several instances), LOGTO_M2M_APP_ID and LOGTO_M2M_APP_SECRET (a machine-to-machine
 * app).
 *
 * @example
 * const config = readConfig(process.env);
 */
export function readConfig(env: NodeJS.ProcessEnv): ExampleConfig {
  const portText = env.PORT?.trim() || '3000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number, got "${portText}".`);
  }
  const endpoint = url(env, 'LOGTO_ENDPOINT');
  const appId = env.LOGTO_APP_ID?.trim();
  if (!appId) {
    throw new ConfigError('LOGTO_APP_ID is not set. Copy the App ID from your Logto application.');
  }
  const baseUrl = url(env, 'LOGTO_BASE_URL', `http://localhost:${port}`);
  const resource = env.LOGTO_RESOURCE?.trim() || undefined;
  if (resource !== undefined && !URL.canParse(resource)) {
    throw new ConfigError(
      `LOGTO_RESOURCE must be an API identifier (an absolute URI), got "${resource}".`,
    );
  }

  const sessionStore = env.SESSION_STORE?.trim() || undefined;
  if (
    sessionStore !== undefined &&
    !/^rediss?(\+cluster|\+sentinel)?:\/\/\S+$/.test(sessionStore)
  ) {
    throw new ConfigError(
      `SESSION_STORE must be a redis://, redis+cluster:// or redis+sentinel:// URL, got "${withoutCredentials(sessionStore)}".`,
    );
  }

  const machineId = env.LOGTO_M2M_APP_ID?.trim();
  const machineSecret = env.LOGTO_M2M_APP_SECRET?.trim();
  if (Boolean(machineId) !== Boolean(machineSecret)) {
    throw new ConfigError(
      'LOGTO_M2M_APP_ID and LOGTO_M2M_APP_SECRET go together: set both (a machine-to-machine app) or neither.',
    );
  }

  let sessionSecret = env.SESSION_SECRET ?? '';
  let generatedSessionSecret = false;
  if (!sessionSecret) {
    if (!isLoopback(new URL(endpoint))) {
      throw new ConfigError(
        'SESSION_SECRET is not set. Set it to at least 32 random characters, e.g. `openssl rand -base64 32`.',
      );
    }
    sessionSecret = randomBytes(32).toString('base64url');
    generatedSessionSecret = true;
  } else if (sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET must be at least 32 characters long.');
  }

  return {
    port,
    endpoint,
    appId,
    appSecret: env.LOGTO_APP_SECRET?.trim() || undefined,
    baseUrl,
    sessionSecret,
    generatedSessionSecret,
    resource,
    extraScopes: (env.LOGTO_SCOPES ?? '').split(/\s+/).filter(Boolean),
    sessionStore,
    machine:
      machineId && machineSecret ? { appId: machineId, appSecret: machineSecret } : undefined,
  };
}

/**
 * A Redis setting without its `user:password@`, to show in a message or a log.
 *
 * @example
 * withoutCredentials('redis://app:s3cret@10.0.0.1:6379'); // 'redis://10.0.0.1:6379'
 */
export function withoutCredentials(setting: string): string {
  return setting.replace(/^([a-z+]+:\/\/)[^@/]*@/i, '$1');
}

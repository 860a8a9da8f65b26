/**
 * What one app's web integration holds, shared by its requests: validated options, the client
 * config, the session manager. Internal: reachable only from the requests `LogtoWeb` opens, so
 * the session secret and the manager never show on a public object.
 *
 * @module
 */
import type { LogtoConfig } from '../config.js';
import type { LevelLogger } from '../logger.js';
import type { SessionManager } from '../session/session-manager.js';
import type { LogtoRoutes, LogtoWebOptions } from './options.js';
import type { ReplayCache } from './replay-cache.js';

/** An auth route, by the name of its path in {@link LogtoRoutes}. */
export type Action = keyof LogtoRoutes;

export interface WebContext {
  readonly options: LogtoWebOptions<never>;
  /** The client config, validated once. */
  readonly config: LogtoConfig;
  readonly sessions: SessionManager;
  readonly routes: Readonly<LogtoRoutes>;
  /** Path → auth route: one look-up per request. */
  readonly actions: ReadonlyMap<string, Action>;
  readonly baseUrl: URL;
  /** The base URL's href without a trailing slash: a request URL is `base + target`. */
  readonly base: string;
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
  /** The client config's logger (default: warnings and errors to the console). */
  readonly logger: LevelLogger;
  readonly replayCache: ReplayCache;
  /** The `WWW-Authenticate` value of a 401 for a signed-out request. */
  readonly wwwAuthenticate: string;
  /** Per-request sign-in options, given the framework's request. */
  readonly signInOptionsFor: ((request: unknown) => unknown) | undefined;
}

/**
 * The one options contract of the web integrations: the client's config and the web parts,
 * validated by one schema at start-up, every problem listed at once, unknown keys named.
 *
 * @module
 */
import { z } from 'zod';
import type { IdTokenClaims } from '../claims.js';
import type { LogtoClient } from '../client.js';
import { type LogtoClientConfig, logtoConfigSchema } from '../config.js';
import type { CookieBudget } from '../session/budget.js';
import type { SessionSecret } from '../session/keys.js';
import type { SessionStore } from '../session/store.js';
import { FirstScreen, type SignInOptions } from '../sign-in.js';
import type { BackchannelLogoutOptions } from './replay-cache.js';

/**
 * Paths of the routes the integrations mount.
 *
 * @example
 * ```ts
 * const routes: Partial<LogtoRoutes> = { signIn: '/auth/sign-in', callback: '/auth/callback' };
 * ```
 */
export interface LogtoRoutes {
  signIn: string;
  signUp: string;
  callback: string;
  signOut: string;
  /** `POST` only: where the provider sends back-channel logout tokens (store sessions only). */
  backchannelLogout: string;
  /**
   * `GET` only, off unless set (the Next.js adapter sets `/auth/refresh`): where a step that
   * cannot send cookies sends the browser for a refresh, and back (`?returnTo=`).
   */
  refresh?: string | undefined;
}

/**
 * Per-sign-in options an app may pass (everything but the redirect URI, which is fixed).
 *
 * @example
 * ```ts
 * const options: WebSignInOptions = { firstScreen: FirstScreen.Register, loginHint: 'a@b.c' };
 * ```
 */
export type WebSignInOptions = Omit<SignInOptions, 'redirectUri'>;

/**
 * Session settings of the web integrations. Durations are in **seconds** (the client's
 * `timeout` is in milliseconds).
 *
 * @example
 * ```ts
 * const session: WebSessionOptions = { secret: [current, previous], rolling: 3600 };
 * ```
 */
export interface WebSessionOptions {
  /** One secret of at least 32 characters, or several for rotation (the first is current). */
  secret: SessionSecret;
  /** Keep sessions server-side (memory, Redis); the cookie then holds a signed id only. */
  store?: SessionStore | undefined;
  /** Cookie name prefix (letters, digits, `_`, `-`); default `logto`. */
  cookiePrefix?: string | undefined;
  /** Idle timeout in seconds; default 86 400 (1 day). */
  rolling?: number | undefined;
  /** Longest session in seconds; default 604 800 (7 days). */
  absolute?: number | undefined;
  /** An unchanged session is rewritten at most this often, in seconds; default 300. */
  touchInterval?: number | undefined;
  /** Cookie size limits (cookie sessions only). */
  budget?: CookieBudget | undefined;
}

/**
 * Options of the web integrations (Express, Hono, …): the client's config plus the web parts.
 * `Req` is the framework's request type that `signInOptionsFor` receives.
 *
 * @example
 * ```ts
 * const options: LogtoWebOptions = {
 *   endpoint: 'https://tenant.logto.app', appId: 'app-id', appSecret: 'app-secret',
 *   baseUrl: 'http://localhost:3000', session: { secret: 'a-secret-of-at-least-32-characters!' },
 * };
 * ```
 */
export interface LogtoWebOptions<Req = unknown> extends LogtoClientConfig {
  /** The app's public base URL, e.g. `https://app.example.com`. Redirect URIs derive from it, never from `Host`. */
  baseUrl: string;
  /** Session settings; `secret` (≥ 32 characters, or several for rotation) is required. */
  session: WebSessionOptions;
  /**
   * Route paths; defaults `/sign-in`, `/sign-up`, `/callback`, `/sign-out`,
   * `/backchannel-logout`.
   */
  routes?: Partial<LogtoRoutes> | undefined;
  /** Where Logto sends the user after sign-out; default `${baseUrl}/`. Must be registered in Logto. */
  postLogoutRedirectUri?: string | undefined;
  /** Defaults for every sign-in (first screen, identifiers, …). */
  signInOptions?: WebSignInOptions | undefined;
  /** Sign-in options decided per request (e.g. a `loginHint` from your own form). */
  signInOptionsFor?: ((request: Req) => WebSignInOptions | undefined) | undefined;
  /**
   * Runs after a successful callback, before the session is saved: enrich or check. Throw a
   * `SignInRefusedError` to refuse the user (a 403 page, nothing saved); anything else it throws
   * is logged and answered with the standard error page (500, nothing saved, no stack trace).
   */
  afterCallback?:
    | ((context: { claims: IdTokenClaims; client: LogtoClient }) => void | Promise<void>)
    | undefined;
  /**
   * The back-channel logout route. It can end sessions only with a `session.store` (cookie
   * sessions live in the browser and cannot be ended from the server).
   */
  backchannelLogout?: BackchannelLogoutOptions | undefined;
}

const isFunction = (value: unknown): boolean => typeof value === 'function';
const fn = (what: string) => z.custom<never>(isFunction, `must be a function (${what})`);
const path = z
  .string()
  .regex(/^\/(?!\/)/, 'must be a path starting with "/" (not "//")')
  .refine((value) => !/[?#\s"\\]/.test(value), 'must be a plain path (no query, space or quote)');
const seconds = z.number().int().positive('must be a positive number of seconds');
const absoluteUrl = z.string().refine((value) => URL.canParse(value), 'must be an absolute URL');
const secret = z.string().min(32, 'must be at least 32 characters');
const hasMethods =
  (...names: string[]) =>
  (value: unknown): boolean =>
    typeof value === 'object' &&
    value !== null &&
    names.every((name) => isFunction((value as Record<string, unknown>)[name]));

const signInOptionsSchema = z
  .object({
    firstScreen: z.enum(Object.values(FirstScreen) as [string, ...string[]]).optional(),
    identifiers: z.array(z.enum(['username', 'email', 'phone'])).optional(),
    directSignIn: z
      .object({ method: z.enum(['social', 'sso']), target: z.string().min(1) })
      .strict()
      .optional(),
    loginHint: z.string().optional(),
    interactionMode: z.enum(['signIn', 'signUp']).optional(),
    prompt: z.union([z.string(), z.array(z.string())]).optional(),
    extraParams: z.record(z.string(), z.string()).optional(),
  })
  .strict();

/**
 * The schema of {@link LogtoWebOptions}: the client's schema extended with the web parts, strict
 * (an unknown key is a problem named by its path).
 */
export const logtoWebOptionsSchema = logtoConfigSchema
  .extend({
    baseUrl: z
      .string()
      .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
        message: 'must be an absolute http(s) URL, e.g. "http://localhost:3000"',
      }),
    session: z
      .object({
        secret: z.union([secret, z.array(secret).min(1)]),
        store: z
          .custom<SessionStore>(hasMethods('get', 'set', 'delete'), 'needs get, set and delete')
          .optional(),
        cookiePrefix: z
          .string()
          .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "_" and "-" only')
          .optional(),
        rolling: seconds.optional(),
        absolute: seconds.optional(),
        touchInterval: seconds.optional(),
        budget: z
          .object({
            maxSetCookieBytes: z.number().int().positive().optional(),
            maxCookieHeaderBytes: z.number().int().positive().optional(),
            otherCookiesAllowance: z.number().int().nonnegative().optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    routes: z
      .object({
        signIn: path.optional(),
        signUp: path.optional(),
        callback: path.optional(),
        signOut: path.optional(),
        backchannelLogout: path.optional(),
        refresh: path.optional(),
      })
      .strict()
      .optional(),
    postLogoutRedirectUri: absoluteUrl.optional(),
    signInOptions: signInOptionsSchema.optional(),
    signInOptionsFor: fn('request => sign-in options').optional(),
    afterCallback: fn('({ claims, client }) => void').optional(),
    backchannelLogout: z
      .object({
        maxAge: seconds.optional(),
        replayCache: z.custom<never>(hasMethods('remember'), 'needs remember()').optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Names of the options that are the web integration's, not the client's. */
const webKeys = new Set([
  'baseUrl',
  'session',
  'routes',
  'postLogoutRedirectUri',
  'signInOptions',
  'signInOptionsFor',
  'afterCallback',
  'backchannelLogout',
]);

/**
 * Validates web options once: a `TypeError` that names every problem (never a secret's value),
 * or the client's part of the options, ready for `resolveConfig`.
 */
export function checkWebOptions(options: unknown): LogtoClientConfig {
  if (!options || typeof options !== 'object') {
    throw new TypeError('Invalid Logto options (an options object is required).');
  }
  const result = logtoWebOptionsSchema.safeParse(options);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const where = issue.path.join('.');
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((key) => (where ? `${where}.${key}` : key));
        return `unknown option${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`;
      }
      return `${where || 'options'}: ${issue.message}`;
    });
    throw new TypeError(`Invalid Logto options (${problems.join('; ')}).`);
  }
  return Object.fromEntries(
    Object.entries(options).filter(([key]) => !webKeys.has(key)),
  ) as LogtoClientConfig;
}

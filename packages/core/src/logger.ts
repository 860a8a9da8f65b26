/**
 * Logging: the {@link Logger} shape (console, pino, winston and most others fit it as they are),
 * the default (warnings and errors to the console), and `false` for silence.
 *
 * What is logged: at `warn`/`error`, one line per failure at the provider boundary (discovery,
 * JWKS, token, userinfo, callback, revocation, back-channel logout) saying what failed, where, the
 * provider's answer and, for known misconfigurations, what to change; at `debug`, the auth
 * decisions. Never a token, an authorization code, a secret or a cookie value.
 *
 * @module
 */

/**
 * Anything with level methods: `console`, a pino or winston logger, or your own object. Each
 * call gets one self-contained line and, as a second argument, the same facts as fields. Levels
 * the object lacks are skipped.
 *
 * @example
 * ```ts
 * const logger: Logger = { warn: (line) => myLog.warning(line), error: (line) => myLog.error(line) };
 * ```
 */
export interface Logger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

/**
 * A {@link Logger} with every level, as the client holds it (`client.config.logger`).
 *
 * @example
 * ```ts
 * client.config.logger.warn('something to look at');
 * ```
 */
export type LevelLogger = Required<Logger>;

const levels = ['debug', 'info', 'warn', 'error'] as const;

/** Whether `value` has at least one level method. */
export function isLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return levels.some((level) => typeof record[level] === 'function');
}

const nothing = (): void => {};

/**
 * The logger used when none is configured: `warn` and `error` lines to the console (the message
 * only, so each failure is one line), `debug` and `info` silent.
 *
 * @example
 * ```ts
 * const logger: LevelLogger = { ...defaultLogger, debug: (line) => console.debug(line) };
 * ```
 */
export const defaultLogger: LevelLogger = Object.freeze({
  debug: nothing,
  info: nothing,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
});

const silentLogger: LevelLogger = Object.freeze({
  debug: nothing,
  info: nothing,
  warn: nothing,
  error: nothing,
});

/**
 * The option as the client holds it: `undefined` → {@link defaultLogger}, `false` → silent, an
 * object → its own levels, called as methods (pino needs its `this`), missing ones skipped.
 */
export function resolveLogger(option: Logger | false | undefined): LevelLogger {
  if (option === undefined) return defaultLogger;
  if (option === false) return silentLogger;
  const call =
    (level: (typeof levels)[number]) =>
    (message: string, fields?: Record<string, unknown>): void => {
      // A logger that throws must not turn a handled failure into another one.
      try {
        option[level]?.(message, fields);
      } catch {
        // nothing sensible to do: the logger itself is broken
      }
    };
  return Object.freeze({
    debug: call('debug'),
    info: call('info'),
    warn: call('warn'),
    error: call('error'),
  });
}

/**
 * The logging hook of the provider boundary: where a failure is mapped to a {@link LogtoError}
 * (discovery, JWKS, token, userinfo, callback, revocation, back-channel logout), one line says
 * what failed, where, what the provider answered, and — for known misconfigurations — what to
 * change. Each error is reported once, however many places it passes through.
 *
 * Nothing secret is written: URLs lose their query (a callback URL holds the code), the
 * provider's `error_description` is cut to one short line, and no token, code, secret or cookie
 * is ever among the facts.
 */
import type { LogtoConfig } from '../config.js';
import { logtoErrorCodes } from '../errors/codes.js';
import { type AnyLogtoError, isLogtoError } from '../errors.js';
import { type FailureFacts, hintFor, type ProviderOperation } from './hints.js';

export type { ProviderOperation };

const reported = new WeakSet<object>();

const what: Record<ProviderOperation, string> = {
  discovery: 'discovery',
  jwks: 'JWKS (signing keys) request',
  token: 'token request',
  callback: 'sign-in callback',
  userinfo: 'userinfo request',
  revocation: 'token revocation',
  backchannel_logout: 'back-channel logout',
};

/**
 * Logs one line for a provider failure (at `error` for a misconfiguration, `warn` otherwise),
 * once per error object. Anything that is not a `LogtoError` (a bug) is left to the caller.
 */
export function reportProviderFailure(
  config: LogtoConfig,
  operation: ProviderOperation,
  error: unknown,
  url?: string,
): void {
  if (!isLogtoError(error) || reported.has(error)) return;
  reported.add(error);
  const { line, fields } = describeFailure(config, operation, error, url);
  const level = logtoErrorCodes[error.code].status === 500 ? 'error' : 'warn';
  config.logger[level](line, fields);
}

/**
 * Logs, at `error`, a refresh token that was not revoked at sign-out: what failed (as
 * {@link reportProviderFailure} says it), then what it means and whether it is retried
 * (`consequence`, also in the fields). Logged even when the same error was logged before (a
 * discovery failure), since this is what an operator must act on.
 */
export function reportRevocationFailure(
  config: LogtoConfig,
  error: unknown,
  url: string | undefined,
  consequence: string,
): void {
  if (!isLogtoError(error)) return;
  reported.add(error);
  const { line, fields } = describeFailure(config, 'revocation', error, url);
  const joined = /[.?!]$/.test(line) ? `${line} ${consequence}` : `${line}. ${consequence}`;
  config.logger.error(joined, { ...fields, consequence });
}

function describeFailure(
  config: LogtoConfig,
  operation: ProviderOperation,
  error: AnyLogtoError,
  url: string | undefined,
): { line: string; fields: Record<string, unknown> } {
  const facts: FailureFacts = {
    operation,
    code: error.code,
    endpoint: config.endpoint,
    url: url === undefined ? undefined : withoutQuery(url),
    status: field(error, 'status', 'number'),
    oauthError: oauthCode(field(error, 'error', 'string')),
    network: networkCode(error),
    timeout: config.timeout,
    actualIssuer: field(error, 'actual', 'string'),
    message: error.message,
  };
  const description = field(error, 'errorDescription', 'string');
  const hint = hintFor(facts);
  const answer = [
    facts.status !== undefined && `HTTP ${facts.status}`,
    facts.oauthError,
    description !== undefined && `"${oneLine(description)}"`,
    facts.network,
  ].filter(Boolean);
  const line = [
    `logto: ${what[operation]} failed [${error.code}]`,
    facts.url && ` at ${facts.url}`,
    answer.length > 0 ? `: ${answer.join(' ')}` : `: ${error.message.replace(/\.$/, '')}`,
    hint && `. ${hint}`,
  ]
    .filter(Boolean)
    .join('');
  const fields = {
    code: error.code,
    operation,
    url: facts.url,
    status: facts.status,
    error: facts.oauthError,
    errorDescription: description === undefined ? undefined : oneLine(description),
    network: facts.network,
    hint,
  };
  return { line, fields };
}

/**
 * Logs, once, a `LogtoError` that makes the app answer 500 (a misconfiguration such as
 * `session_too_large`), so the page's "see the server log" is true. Provider failures are logged
 * where they are mapped ({@link reportProviderFailure}); this only covers the rest.
 */
export function reportMisconfiguration(config: LogtoConfig, error: unknown): void {
  if (!isLogtoError(error) || reported.has(error)) return;
  // A failed afterCallback is the app's hook, logged with its own error where it is caught.
  if (
    logtoErrorCodes[error.code].status !== 500 ||
    error.code === 'sign_in.after_callback_failed'
  ) {
    return;
  }
  reported.add(error);
  config.logger.error(`logto: this app is misconfigured [${error.code}]: ${error.message}`, {
    code: error.code,
  });
}

function field<T extends 'string' | 'number'>(
  error: object,
  name: string,
  type: T,
): (T extends 'string' ? string : number) | undefined {
  const value = (error as Record<string, unknown>)[name];
  return typeof value === type ? (value as T extends 'string' ? string : number) : undefined;
}

/** The platform's network error code (`ECONNREFUSED`, `ENOTFOUND`, …) from the cause chain. */
function networkCode(error: Error): string | undefined {
  let current: unknown = error.cause;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(code)) return code;
    current = current.cause;
  }
  return undefined;
}

function withoutQuery(url: string): string {
  if (!URL.canParse(url)) return '(invalid URL)';
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/**
 * An OAuth `error` as logged: the RFC 6749 shape (a callback's `error` is whatever the URL
 * said, so anything else is not repeated).
 */
function oauthCode(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return /^[a-z0-9_.-]{1,64}$/i.test(value) ? value : '(malformed error code)';
}

/** Outside text as one short printable line: no control characters, at most 200 characters. */
function oneLine(text: string): string {
  const flat = text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

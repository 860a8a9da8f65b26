/**
 * Revoking the refresh token at sign-out, and again in the background when the provider could
 * not take it. A cookie session cannot be ended from the server: until its refresh token is
 * revoked, a copy of the cookie taken before sign-out can keep refreshing (up to the session's
 * absolute lifetime, 7 days by default). So a revocation that fails for a passing reason (the
 * provider down, slow, or answering 5xx/429) is retried by this process for
 * {@link revocationRetry}`.window` (60 minutes), at 1 s, 5 s, 15 s, 30 s, 60 s, then every
 * 5 minutes; one the provider refuses (4xx: a misconfiguration) is not, since it would get the
 * same answer. Each outcome that leaves the token alive is logged at `error` with what to do.
 *
 * Why in the background and not within the sign-out request: the user's session here ends at
 * once either way, an outage outlasts any wait a page can afford, and retrying inside the
 * request would hold the user's redirect for as many timeouts as it tried. The price: the token
 * waits in this process's memory (never in a log), and a process that stops forgets it.
 *
 * @module
 */
import type { LogtoConfig } from './config.js';
import { fetchProviderMetadata, type ProviderMetadata } from './discovery.js';
import { isLogtoError, type LogtoError } from './errors.js';
import { reportRevocationFailure } from './lib/diagnostics.js';
import { revokeRefreshToken } from './sign-out.js';

/**
 * When the background retries run (milliseconds): the first delays, then every `every`, until
 * `window` after the sign-out; at most `maxPending` tokens wait per process (beyond, a failure
 * is logged and not retried). Internal: tests shorten it.
 */
export const revocationRetry = {
  delays: [1_000, 5_000, 15_000, 30_000, 60_000] as readonly number[],
  every: 5 * 60_000,
  window: 60 * 60_000,
  maxPending: 1_000,
};

interface Pending {
  readonly config: LogtoConfig;
  readonly token: string;
  readonly since: number;
  attempts: number;
  timer: NodeJS.Timeout | undefined;
}

const pending = new Map<string, Pending>();

/**
 * Revokes the refresh token now; when that fails, logs it at `error` and, for a passing
 * failure, retries in the background. Resolves to whether it was revoked now. Never rejects for
 * a provider failure.
 *
 * @example
 * ```ts
 * await revokeAtSignOut(config, metadata, refreshToken);
 * ```
 */
export async function revokeAtSignOut(
  config: LogtoConfig,
  metadata: ProviderMetadata,
  refreshToken: string,
): Promise<boolean> {
  const failure = await revokeRefreshToken(config, metadata, refreshToken);
  if (!failure) return true;
  failed(config, refreshToken, failure, metadata.revocation_endpoint);
  return false;
}

/**
 * The provider could not even be asked (discovery failed): logs it and retries in the
 * background.
 *
 * @example
 * ```ts
 * revokeLater(config, refreshToken, discoveryError);
 * ```
 */
export function revokeLater(config: LogtoConfig, refreshToken: string, cause: unknown): void {
  failed(config, refreshToken, cause, undefined);
}

/** How many revocations wait for a retry in this process (for tests and diagnostics). */
export function pendingRevocations(): number {
  return pending.size;
}

function failed(config: LogtoConfig, token: string, failure: unknown, url?: string): void {
  if (!isLogtoError(failure)) return;
  const retrying = isPassing(failure) && schedule(config, token);
  reportRevocationFailure(
    config,
    failure,
    url,
    retrying
      ? `The user is signed out of this app, but a copy of their session cookie taken before sign-out can still refresh tokens until the refresh token is revoked: retrying in the background for up to ${minutes(revocationRetry.window)} minutes.`
      : `${lifetime} Not retried: the provider refused it (check the hint), or too many revocations are waiting.`,
  );
}

const lifetime =
  "The user is signed out of this app, but a copy of their session cookie taken before sign-out can keep refreshing tokens until the refresh token expires or the session's absolute lifetime ends (`session.absolute`, 7 days by default). Use a server-side session store to end sessions at once.";

/** A failure a later attempt may not meet: unreachable, slow, 5xx, 429. */
function isPassing(error: LogtoError): boolean {
  if (error.code === 'provider.unavailable' || error.code === 'provider.timeout') return true;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && (status >= 500 || status === 429);
}

function schedule(config: LogtoConfig, token: string): boolean {
  if (pending.has(token)) return true;
  if (pending.size >= revocationRetry.maxPending) return false;
  const entry: Pending = { config, token, since: Date.now(), attempts: 0, timer: undefined };
  pending.set(token, entry);
  next(entry, undefined, undefined);
  return true;
}

function next(entry: Pending, failure: unknown, url: string | undefined): void {
  const delay = revocationRetry.delays[entry.attempts] ?? revocationRetry.every;
  const remaining = entry.since + revocationRetry.window - Date.now();
  if (remaining <= 0) {
    giveUp(entry, failure, url);
    return;
  }
  entry.timer = setTimeout(() => void attempt(entry), Math.min(delay, remaining));
  // A process with nothing else to do may exit: what waits here is lost (stated in SECURITY.md).
  entry.timer.unref();
}

async function attempt(entry: Pending): Promise<void> {
  entry.attempts += 1;
  const { config, token } = entry;
  let failure: unknown;
  let url: string | undefined;
  try {
    const metadata = await fetchProviderMetadata(config);
    url = metadata.revocation_endpoint;
    failure = await revokeRefreshToken(config, metadata, token);
  } catch (error) {
    failure = error;
  }
  if (!failure) {
    pending.delete(token);
    config.logger.info(
      `logto: token revocation succeeded on background attempt ${entry.attempts} (${seconds(Date.now() - entry.since)} s after sign-out)`,
      { attempts: entry.attempts },
    );
    return;
  }
  if (isLogtoError(failure) && isPassing(failure)) {
    next(entry, failure, url);
    return;
  }
  giveUp(entry, failure, url);
}

function giveUp(entry: Pending, failure: unknown, url?: string): void {
  pending.delete(entry.token);
  const after = `Gave up after ${entry.attempts} background attempts over ${minutes(Date.now() - entry.since)} minutes.`;
  if (isLogtoError(failure)) {
    reportRevocationFailure(entry.config, failure, url, `${after} ${lifetime}`);
    return;
  }
  entry.config.logger.error(`logto: token revocation failed. ${after} ${lifetime}`, {
    operation: 'revocation',
    attempts: entry.attempts,
  });
}

function minutes(ms: number): number {
  return Math.round(ms / 60_000);
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}

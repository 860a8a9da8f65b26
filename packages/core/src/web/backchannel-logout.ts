import { fetchProviderMetadata } from '../discovery.js';
import { isLogtoError, LogoutTokenError } from '../errors.js';
import { reportProviderFailure } from '../lib/diagnostics.js';
import { LOGOUT_TOKEN_MAX_AGE, verifyLogoutToken } from '../logout-token.js';
import type { WebContext } from './context.js';
import { errorResponse } from './error-response.js';
import { readForm, type WebBody } from './read-form.js';
import { jsonResponse, type WebResponse } from './web-response.js';

const COOKIE_SESSIONS =
  'Back-channel logout needs server-side sessions: this app keeps sessions in cookies (or in a store without deleteBySid), which cannot be ended from the server. Configure session.store, e.g. RedisSessionStore from @logto-kit/redis.';

/**
 * The back-channel logout route: reads the form body (at most 64 KB, only once a store that can
 * end sessions is known to exist), verifies the logout token, refuses a replayed `jti` (recorded
 * only once the sessions are ended, when the cache has `seen`), and ends every stored session of the provider session (`sid`) in every instance that shares the store.
 * `200` on success, `400` with a JSON error for a refused token (or for cookie sessions, which
 * cannot be ended from the server), `502`/`503`/`504` when the provider's keys or the store
 * cannot be reached. Never throws.
 */
export async function backchannelLogout(context: WebContext, body: WebBody): Promise<WebResponse> {
  const options = context.options.backchannelLogout ?? {};
  try {
    // Said before anything is read, so the provider's log shows why logouts do not take effect.
    if (!context.options.session.store?.deleteBySid) {
      throw new LogoutTokenError('unsupported', COOKIE_SESSIONS);
    }
    const token = (await readForm(body)).get('logout_token');
    const { config } = context;
    const metadata = await fetchProviderMetadata(config);
    const claims = await verifyLogoutToken(token, config, metadata, { maxAge: options.maxAge });
    if (!claims.sid) {
      throw new LogoutTokenError(
        'unsupported',
        'The logout token has no sid; this app ends sessions by provider session (sid) only.',
      );
    }
    const maxAge = options.maxAge ?? LOGOUT_TOKEN_MAX_AGE;
    const until = claims.iat + maxAge + 2 * config.clockTolerance;
    const key = `${claims.iss}\n${claims.jti}`;
    const cache = context.replayCache;
    let revoked: number;
    if (cache.seen) {
      // Recorded only once the sessions are ended: a failure part-way (503) leaves the token
      // unused, and the provider's retry finishes the job. Two deliveries at once both end the
      // sessions (idempotent); a token seen before is refused without touching any session.
      if (await cache.seen(key)) throw replayed();
      revoked = await context.sessions.revokeBySid(claims.sid);
      await cache.remember(key, until);
    } else {
      if (!(await cache.remember(key, until))) throw replayed();
      revoked = await context.sessions.revokeBySid(claims.sid);
    }
    context.logger.debug('logto: back-channel logout', { revoked });
    return { status: 200, headers: { 'cache-control': 'no-store' }, body: '' };
  } catch (error) {
    return failure(context, error);
  }
}

function replayed(): LogoutTokenError {
  return new LogoutTokenError('replayed', 'This logout token was already used.');
}

function failure(context: WebContext, error: unknown): WebResponse {
  const mapped = errorResponse(error);
  if (isLogtoError(error) && mapped.status >= 502) {
    // One line: the discovery or JWKS failure behind it, when that was already logged.
    reportProviderFailure(context.config, 'backchannel_logout', error);
    const body = { error: 'temporarily_unavailable', error_description: mapped.message };
    return jsonResponse(mapped.status, body);
  }
  const reason = error instanceof LogoutTokenError ? error.reason : 'unexpected';
  const why = error instanceof LogoutTokenError ? `: ${error.message}` : '';
  context.logger.warn(`logto: back-channel logout refused (${reason})${why}`, { reason });
  const description =
    error instanceof LogoutTokenError
      ? error.message
      : 'The logout request could not be processed.';
  return jsonResponse(400, { error: 'invalid_request', error_description: description });
}

import { isLogtoError, type LogtoErrorCode } from '../errors.js';

/** How a web integration answers an error: status, and a short text safe to show anyone. */
export interface ErrorResponse {
  status: 400 | 401 | 403 | 500 | 502 | 503 | 504;
  title: string;
  message: string;
}

const byCode: Record<LogtoErrorCode, ErrorResponse> = {
  not_authenticated: {
    status: 401,
    title: 'Not signed in',
    message: 'Please sign in to continue.',
  },
  'sign_in_session.not_found': {
    status: 400,
    title: 'Sign-in expired',
    message:
      'This sign-in link is no longer valid (it was already used, it expired, or the page was opened twice). Please sign in again.',
  },
  'callback.invalid': {
    status: 400,
    title: 'Sign-in failed',
    message: 'The sign-in response was not valid. Please sign in again.',
  },
  'callback.provider_error': {
    status: 400,
    title: 'Sign-in was not completed',
    message: 'The identity provider did not complete the sign-in. Please try again.',
  },
  'id_token.signature': {
    status: 502,
    title: 'Sign-in failed',
    message: 'The identity provider sent a token that could not be verified.',
  },
  'id_token.claim': {
    status: 400,
    title: 'Sign-in failed',
    message: 'The sign-in response did not match this sign-in. Please sign in again.',
  },
  'userinfo.invalid': {
    status: 502,
    title: 'Profile unavailable',
    message: 'The identity provider returned an invalid profile.',
  },
  'oauth.invalid_grant': {
    status: 401,
    title: 'Session ended',
    message: 'Your session has ended. Please sign in again.',
  },
  'oauth.error': {
    status: 502,
    title: 'Identity provider error',
    message: 'The identity provider refused the request.',
  },
  'provider.unavailable': {
    status: 503,
    title: 'Sign-in unavailable',
    message: 'The identity provider cannot be reached right now. Please try again shortly.',
  },
  'provider.timeout': {
    status: 504,
    title: 'Sign-in unavailable',
    message: 'The identity provider did not answer in time. Please try again shortly.',
  },
  'provider.invalid_response': {
    status: 502,
    title: 'Identity provider error',
    message: 'The identity provider sent an invalid response.',
  },
  organizations_scope_required: {
    status: 500,
    title: 'Configuration error',
    message: 'This app is not configured to request organization tokens.',
  },
  'access_token.opaque': {
    status: 500,
    title: 'Configuration error',
    message: 'This access token cannot be read as a JWT.',
  },
  'session_store.unavailable': {
    status: 503,
    title: 'Temporarily unavailable',
    message: 'Your session cannot be read right now. Please try again in a moment.',
  },
  'logout_token.invalid': {
    status: 400,
    title: 'Logout refused',
    message: 'The back-channel logout token was not accepted.',
  },
};

/**
 * Maps an error to the response a web integration gives: `LogtoError`s by code (4xx for what
 * a user or a stale link did, 502/503/504 for the provider, 503 for an unreachable session
 * store, 500 for a misconfiguration);
 * anything else is a bug and gets a plain 500. The message never repeats the error's own
 * text, so nothing internal reaches the page.
 *
 * @example
 * const { status, title, message } = errorResponse(error);
 */
export function errorResponse(error: unknown): ErrorResponse {
  if (isLogtoError(error)) return byCode[error.code];
  return { status: 500, title: 'Something went wrong', message: 'An unexpected error occurred.' };
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A small, self-contained HTML page for an {@link ErrorResponse}, with a link to sign in again.
 *
 * @example
 * res.status(status).type('html').send(errorPage(errorResponse(error), '/sign-in'));
 */
export function errorPage(response: ErrorResponse, signInPath: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(response.title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:15vh auto;padding:0 1rem;color-scheme:light dark}a{font-weight:600}</style></head><body><h1>${escapeHtml(response.title)}</h1><p>${escapeHtml(response.message)}</p><p><a href="${escapeHtml(signInPath)}">Sign in again</a> · <a href="/">Home</a></p></body></html>`;
}

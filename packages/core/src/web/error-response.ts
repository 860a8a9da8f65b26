import { type ErrorResponse, type LogtoErrorCode, logtoErrorCodes } from '../errors/codes.js';
import { isLogtoError, SignInRefusedError } from '../errors.js';

export type { ErrorResponse };

/**
 * An {@link ErrorResponse} with the stable code it answers: a {@link LogtoErrorCode}, or
 * `internal_error` for anything that is not a `LogtoError` (a bug).
 */
export interface CodedErrorResponse extends ErrorResponse {
  code: LogtoErrorCode | 'internal_error';
}

/**
 * Maps an error to the response a web integration gives: `LogtoError`s by code (400/401 for what
 * a user or a stale link did, 403 for a refusal about the user, 502/503/504 for the provider, 503
 * for an unreachable session store, 500 for a misconfiguration); anything else is a bug and gets
 * a plain 500. The message never repeats the error's own text, so nothing internal reaches the
 * page — except the words an app gave a {@link SignInRefusedError} for its user.
 *
 * @example
 * const { code, status, title, message } = errorResponse(error);
 */
export function errorResponse(error: unknown): CodedErrorResponse {
  if (!isLogtoError(error)) {
    return {
      code: 'internal_error',
      status: 500,
      title: 'Something went wrong',
      message: 'An unexpected error occurred.',
    };
  }
  const row = logtoErrorCodes[error.code];
  const message = error instanceof SignInRefusedError ? error.userMessage : undefined;
  return { code: error.code, ...row, ...(message && { message }) };
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A small, self-contained HTML page for an {@link ErrorResponse}. Its links fit the status: "Sign
 * in again" after what a user or a stale link did (400, 401), "Try again" (the same URL) when
 * the provider or the store failed (502, 503, 504), and always "Home".
 *
 * @example
 * res.status(status).type('html').send(errorPage(errorResponse(error), '/sign-in'));
 */
export function errorPage(response: ErrorResponse, signInPath: string): string {
  const links = [
    ...(response.status === 400 || response.status === 401
      ? [`<a href="${escapeHtml(signInPath)}">Sign in again</a>`]
      : []),
    ...(response.status >= 502 ? ['<a href="">Try again</a>'] : []),
    '<a href="/">Home</a>',
  ].join(' · ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(response.title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:15vh auto;padding:0 1rem;color-scheme:light dark}a{font-weight:600}</style></head><body><h1>${escapeHtml(response.title)}</h1><p>${escapeHtml(response.message)}</p><p>${links}</p></body></html>`;
}

/**
 * Reading the bearer token of a request (RFC 6750 §2.1): one `Authorization: Bearer <token>`.
 *
 * @module
 */
import {
  InvalidAccessTokenError,
  InvalidBearerRequestError,
  MissingAccessTokenError,
} from '../errors/access-token.js';

/** The longest token looked at; anything longer is refused before any parsing. */
export const MAX_ACCESS_TOKEN_LENGTH = 8192;

/** `Bearer`, case-insensitive, one or more spaces, one b64token (RFC 6750 §2.1), nothing else. */
const bearer = /^[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9\-._~+/]+=*)$/;
/** The `Bearer` scheme: the word, then whitespace or nothing (anything else is another scheme). */
const bearerScheme = /^[Bb][Ee][Aa][Rr][Ee][Rr](?:[ \t]|$)/;

/**
 * The token of an `Authorization` header. No header, an empty one, or credentials of another
 * scheme (`Basic …`, `DPoP …`): the request has no Bearer credentials (401 with a bare
 * challenge and no error code, RFC 6750 §3.1). A `Bearer` header that is not one token — two
 * tokens, no token, characters RFC 6750 does not allow: 400 `invalid_request`. Longer than
 * {@link MAX_ACCESS_TOKEN_LENGTH}: 401 `invalid_token`. Surrounding whitespace is the HTTP
 * parser's and is ignored.
 *
 * @example
 * ```ts
 * readBearerToken('Bearer eyJhbGciOi…'); // 'eyJhbGciOi…'
 * ```
 */
export function readBearerToken(header: string | null | undefined): string {
  if (header === undefined || header === null) throw missing();
  const value = header.trim();
  if (value === '' || !bearerScheme.test(value)) throw missing();
  if (value.length > MAX_ACCESS_TOKEN_LENGTH + 16) {
    // Long enough that no valid token fits: do not even run the pattern.
    throw new InvalidAccessTokenError('The access token is too long.');
  }
  const match = bearer.exec(value);
  if (!match) throw invalidRequest();
  const token = match[1]!;
  if (token.length > MAX_ACCESS_TOKEN_LENGTH) {
    throw new InvalidAccessTokenError('The access token is too long.');
  }
  return token;
}

function missing(): MissingAccessTokenError {
  return new MissingAccessTokenError();
}

function invalidRequest(): InvalidBearerRequestError {
  return new InvalidBearerRequestError('The Authorization header must be one Bearer token.');
}

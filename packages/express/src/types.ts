import type { AccessTokenAuth, IdTokenClaims, LogtoClient, UserInfo } from '@logto-kit/core';

declare global {
  namespace Express {
    /** What `authenticated()` puts on `req.user`: the ID token claims, or the userinfo. */
    interface User extends Partial<IdTokenClaims>, Partial<UserInfo> {}

    interface Request {
      /** The signed-in user's Logto client for this request (tokens, claims, userinfo). */
      logto: LogtoClient;
      /** Set by `authenticated()`; another middleware may set it too. */
      user?: User;
      /** Set by `requireAccessToken()`: the verified access token. */
      auth?: AccessTokenAuth;
    }
  }
}

export type { AuthenticatedOptions } from './authenticated.js';
export { authenticated } from './authenticated.js';
export { logtoErrorHandler, logtoException } from './errors.js';
export type { LogtoHonoOptions } from './middleware.js';
export { logto, logtoRequest } from './middleware.js';
export {
  type AccessTokenEnv,
  type RequireAccessTokenHonoOptions,
  requireAccessToken,
} from './require-access-token.js';
export type { AuthenticatedEnv, LogtoEnv, LogtoUser, LogtoVariables } from './types.js';

import './types.js';

export type { AuthenticatedOptions } from './authenticated.js';
export { authenticated } from './authenticated.js';
export type { LogtoExpressOptions } from './middleware.js';
export { logto, logtoErrorHandler, logtoRequest } from './middleware.js';
export {
  type RequireAccessTokenExpressOptions,
  requireAccessToken,
} from './require-access-token.js';

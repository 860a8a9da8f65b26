import './types.js';

export type { AuthenticatedOptions } from './authenticated.js';
export { authenticated, logtoUser } from './authenticated.js';
export { type FastifyErrorHandler, logtoErrorHandler } from './errors.js';
export type { LogtoFastifyOptions, LogtoRegisterOptions } from './plugin.js';
export { logto } from './plugin.js';
export { logtoRequest } from './request.js';
export {
  type RequireAccessTokenFastifyOptions,
  requireAccessToken,
} from './require-access-token.js';
export type { LogtoUser } from './types.js';

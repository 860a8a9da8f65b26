export type {
  AuthenticatedOptions,
  AuthenticatedRouteHandler,
  LogtoUser,
} from './authenticated.js';
export {
  type AppAccessTokenOptions,
  createLogto,
  type LogtoNext,
  type LogtoNextOptions,
} from './create-logto.js';
export type { LogtoSession } from './get-logto.js';
export type { LogtoProxyOptions } from './proxy.js';
export type { PathRule, ProtectedPath } from './proxy-rules.js';
export {
  type AccessTokenRouteHandler,
  type RequireAccessTokenNextOptions,
  type RouteContext,
  type RouteHandler,
  type RouteParams,
  type RouteRequest,
  requireAccessToken,
} from './require-access-token.js';
export type { RequireUserOptions } from './require-user.js';
export type { LogtoRouteHandlers } from './route-handler.js';
export type { SignInActionOptions } from './server-actions.js';

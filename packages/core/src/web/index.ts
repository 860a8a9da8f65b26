export type {
  BackchannelLogoutOptions,
  BackchannelLogoutResponse,
  ReplayCache,
} from './backchannel-logout.js';
export { handleBackchannelLogout, MemoryReplayCache } from './backchannel-logout.js';
export type { ErrorResponse } from './error-response.js';
export { errorPage, errorResponse } from './error-response.js';
export type {
  Logger,
  LogtoRoutes,
  LogtoWebOptions,
  Redirect,
  WebSignInOptions,
} from './logto-web.js';
export { LogtoRequest, LogtoWeb } from './logto-web.js';
export { safeReturnTo } from './return-to.js';

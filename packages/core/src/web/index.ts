export type { ErrorResponse } from './error-response.js';
export { errorPage, errorResponse } from './error-response.js';
export type { Finish, GuardOptions, GuardResult, WebRequestInit } from './logto-request.js';
export { LogtoRequest } from './logto-request.js';
export { LogtoWeb } from './logto-web.js';
export type {
  Logger,
  LogtoRoutes,
  LogtoWebOptions,
  WebSessionOptions,
  WebSignInOptions,
} from './options.js';
export { logtoWebOptionsSchema } from './options.js';
export type { WebBody } from './read-form.js';
export type { BackchannelLogoutOptions, ReplayCache } from './replay-cache.js';
export { MemoryReplayCache } from './replay-cache.js';
export type { WebResponse } from './web-response.js';
export { toFetchResponse } from './web-response.js';

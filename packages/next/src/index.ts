export { createLogto, type LogtoNext, type LogtoNextOptions } from './create-logto.js';
export type { LogtoSession } from './get-logto.js';
export type { LogtoProxyOptions } from './proxy.js';
export type { LogtoRouteHandlers } from './route-handler.js';
export type { SignInActionOptions } from './server-actions.js';

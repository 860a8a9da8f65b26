import { type LogtoWebOptions, UserInfoScope } from '@logto-kit/core';
import type { ExampleConfig } from './config.js';
import type { ScaleOut } from './scale-out.js';

/**
 * The options every example gives `logto()`: the quick start's scopes (email, phone, custom
 * data, identities, roles, organizations and their roles) plus `LOGTO_SCOPES`, the API resource
 * when `LOGTO_RESOURCE` is set, and the Redis pieces when `SESSION_STORE` is.
 *
 * @example
 * app.use(logto(logtoOptions(config, await scaleOutFrom(config))));
 */
export function logtoOptions(config: ExampleConfig, scaleOut: ScaleOut = {}): LogtoWebOptions {
  return {
    endpoint: config.endpoint,
    appId: config.appId,
    appSecret: config.appSecret,
    baseUrl: config.baseUrl,
    scopes: [
      UserInfoScope.Email,
      UserInfoScope.Phone,
      UserInfoScope.CustomData,
      UserInfoScope.Identities,
      UserInfoScope.Roles,
      UserInfoScope.Organizations,
      UserInfoScope.OrganizationRoles,
      ...config.extraScopes,
    ],
    resources: config.resource ? [config.resource] : [],
    session: {
      secret: config.sessionSecret,
      ...(scaleOut.store ? { store: scaleOut.store } : {}),
    },
    refreshLock: scaleOut.refreshLock,
    backchannelLogout: scaleOut.backchannelLogout,
  };
}

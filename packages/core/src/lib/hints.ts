/**
 * What to change, for the failures a misconfiguration causes. The variable names are the ones the
 * quick start and the examples use (`LOGTO_ENDPOINT`, `LOGTO_APP_ID`, `LOGTO_APP_SECRET`), next
 * to the option they feed.
 */

/** Which request to the provider failed (`callback`: the provider's redirect, or the code exchange). */
export type ProviderOperation =
  | 'discovery'
  | 'jwks'
  | 'token'
  | 'callback'
  | 'userinfo'
  | 'revocation'
  | 'backchannel_logout';

/** The facts a hint is chosen from; nothing here is a token or a secret. */
export interface FailureFacts {
  operation: ProviderOperation;
  code: string;
  /** The configured endpoint (no trailing slash). */
  endpoint: string;
  /** The URL that was asked, without its query. */
  url: string | undefined;
  status: number | undefined;
  oauthError: string | undefined;
  /** A network error code from the platform, e.g. `ECONNREFUSED`. */
  network: string | undefined;
  timeout: number;
  /** The issuer the provider announced, for an issuer mismatch. */
  actualIssuer: string | undefined;
  /** Our own short message (never a token). */
  message: string;
}

const endpointVariable = 'LOGTO_ENDPOINT (the `endpoint` option)';

/** A hint for a known misconfiguration, or `undefined`. */
export function hintFor(facts: FailureFacts): string | undefined {
  switch (facts.oauthError) {
    case 'invalid_client':
      return "Logto rejected the app's credentials: check LOGTO_APP_ID / LOGTO_APP_SECRET (`appId` / `appSecret`: the ID and secret of a Traditional web app in the Logto console).";
    case 'unauthorized_client':
      return 'Logto does not allow this app that grant: use a Traditional web app, and check LOGTO_APP_ID (`appId`).';
    case 'access_denied':
      return facts.operation === 'callback'
        ? 'The user cancelled the sign-in, or Logto refused it.'
        : 'Logto refused the user (not a member of the organization, or a requirement such as MFA not met); the user gets a 403.';
    case 'invalid_grant':
      return 'The refresh token or code is no longer valid (expired, revoked or already used); the user signs in again.';
    case 'invalid_target':
      return 'A resource is not an API resource registered in Logto, or was not requested at sign-in: check `resources`.';
    case 'invalid_scope':
      return 'A scope is not known to Logto: check `scopes`.';
    case 'insufficient_scope':
      return 'Add UserInfoScope.Organizations to `scopes` and sign in again to get organization tokens.';
  }
  if (facts.code === 'discovery.issuer_mismatch' && facts.actualIssuer) {
    const tenant = facts.actualIssuer.replace(/\/oidc\/?$/, '');
    return `The provider calls itself ${facts.actualIssuer}: if that is your Logto, set ${endpointVariable} to ${tenant}.`;
  }
  if (facts.status !== undefined && facts.status >= 500) {
    return `Logto answered HTTP ${facts.status}: it is failing; see its own log.`;
  }
  if (facts.operation === 'discovery') return discoveryHint(facts);
  if (facts.code === 'provider.unavailable') return networkHint(facts);
  if (facts.code === 'provider.timeout') {
    return `No answer within ${facts.timeout} ms (the \`timeout\` option): is Logto overloaded or the network path blocked?`;
  }
  return undefined;
}

function discoveryHint(facts: FailureFacts): string | undefined {
  if (facts.code === 'provider.unavailable') return networkHint(facts);
  if (facts.code === 'provider.timeout') return hintFor({ ...facts, operation: 'token' });
  if (/\/oidc$/.test(facts.endpoint)) {
    return `${endpointVariable} is the tenant URL without /oidc, e.g. ${facts.endpoint.replace(/\/oidc$/, '')}.`;
  }
  if (facts.status === 404 || (facts.status !== undefined && facts.status < 400)) {
    return `${facts.endpoint} does not serve Logto's discovery document: is ${endpointVariable} the URL of a Logto tenant?`;
  }
  if (/not JSON/.test(facts.message)) {
    return `The answer is not JSON (an HTML page?): is ${endpointVariable} the URL of a Logto tenant?`;
  }
  if (/invalid/.test(facts.message)) {
    return `The answer is not an OpenID Connect discovery document: is ${endpointVariable} the URL of a Logto tenant?`;
  }
  return undefined;
}

function networkHint(facts: FailureFacts): string {
  const origin = facts.url ? new URL(facts.url).origin : facts.endpoint;
  switch (facts.network) {
    case 'ECONNREFUSED':
      return `Nothing is listening at ${origin}: is Logto running, and is ${endpointVariable} right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host name of ${origin} does not resolve: check ${endpointVariable}.`;
    default:
      return `${origin} could not be reached: is Logto running, and is ${endpointVariable} right?`;
  }
}

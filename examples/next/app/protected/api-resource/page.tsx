import { claimsPage, notePage } from '@logto-kit/example-shared';
import { app } from '../../../lib/logto';
import { Html, title } from '../../html';
import { signedIn } from '../signed-in';

export const metadata = { title: title('API resource token') };

export default async function ApiResourcePage() {
  await signedIn('/protected/api-resource');
  const { logto, config } = await app();
  // getAccessToken() in a Server Component: the proxy refreshed it ahead of expiry; only its
  // claims are shown, the token itself never reaches the browser.
  const html = config.resource
    ? claimsPage('API resource token', `Access token claims for ${config.resource}.`, {
        ...(await logto.getLogto().getAccessTokenClaims(config.resource)),
      })
    : notePage(
        'API resource token',
        'Set LOGTO_RESOURCE to an API identifier to see its access token.',
      );
  return <Html html={html} />;
}

import { claimsPage, notePage } from '@logto-kit/example-shared';
import { logto } from '../../../lib/logto';
import { Html, title } from '../../html';
import { signedIn } from '../signed-in';

export const metadata = { title: title('Organization token') };

export default async function OrganizationPage() {
  const claims = await signedIn('/protected/organizations');
  const organizationId = claims.organizations?.[0];
  const html = organizationId
    ? claimsPage('Organization token', `Access token claims for organization ${organizationId}.`, {
        ...(await (await logto()).getLogto().getOrganizationTokenClaims(organizationId)),
      })
    : notePage('Organization token', 'You are not a member of any organization.');
  return <Html html={html} />;
}

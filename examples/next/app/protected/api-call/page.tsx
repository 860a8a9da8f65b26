import { callNotesApi, claimsPage, notePage, notesPath } from '@logto-kit/example-shared';
import { app } from '../../../lib/logto';
import { Html, title } from '../../html';
import { signedIn } from '../signed-in';

export const metadata = { title: title('Call the API') };

export default async function ApiCallPage() {
  await signedIn('/protected/api-call');
  const { logto, config } = await app();
  // The token goes from the server to the API; the page shows only the API's answer.
  const html = config.resource
    ? claimsPage(
        'Your API answered',
        `GET ${notesPath}, called server-side with your access token and verified by requireAccessToken.`,
        await callNotesApi(config.baseUrl, await logto.getLogto().getAccessToken(config.resource)),
      )
    : notePage('Call the API', 'Set LOGTO_RESOURCE to an API identifier to call the API.');
  return <Html html={html} />;
}

import { claimsPage } from '@logto-kit/example-shared';
import { Html, title } from '../html';
import { signedIn } from './signed-in';

export const metadata = { title: title('ID token') };

export default async function IdTokenPage() {
  const claims = await signedIn('/protected');
  return (
    <Html
      html={claimsPage('ID token claims', 'From the verified ID token: no network request.', {
        ...claims,
      })}
    />
  );
}

import { notePage } from '@logto-kit/example-shared';
import { Html, title } from '../../html';
import { signedIn } from '../signed-in';

export const metadata = { title: title('Readers only') };

export default async function ReadersPage() {
  // The proxy answers a signed-in user without the role 403 before this renders (its
  // `{ path: '/protected/readers', roles: ['reader'] }` entry); the page asks again.
  await signedIn('/protected/readers', { roles: ['reader'] });
  return <Html html={notePage('Readers only', 'You have the reader role: this page is yours.')} />;
}

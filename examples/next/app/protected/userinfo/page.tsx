import { claimsPage } from '@logto-kit/example-shared';
import { logto } from '../../../lib/logto';
import { Html, title } from '../../html';
import { signedIn } from '../signed-in';

export const metadata = { title: title('Userinfo') };

export default async function UserinfoPage() {
  await signedIn('/protected/userinfo');
  const userinfo = await (await logto()).getLogto().fetchUserInfo();
  return (
    <Html
      html={claimsPage('Userinfo', 'From Logto\u2019s userinfo endpoint (/oidc/me).', {
        ...userinfo,
      })}
    />
  );
}

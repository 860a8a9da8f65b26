import { homePage } from '@logto-kit/example-shared';
import { logto } from '../lib/logto';
import { Html, title } from './html';

export const metadata = { title: title('Home') };

async function signInAction() {
  'use server';
  await (await logto()).signIn({ returnTo: '/protected' });
}

async function signOutAction() {
  'use server';
  await (await logto()).signOut();
}

export default async function Home() {
  const { routes, getLogto } = await logto();
  const claims = await getLogto().getClaims();
  const links = { signIn: routes.signIn, signOut: routes.signOut };
  return (
    <>
      <Html html={homePage('Next.js', claims, links)} />
      {/* The same, as Server Actions (forms, no JavaScript needed). */}
      <form action={claims ? signOutAction : signInAction}>
        <button type="submit" id={claims ? 'action-sign-out' : 'action-sign-in'}>
          {claims ? 'Sign out (Server Action)' : 'Sign in (Server Action)'}
        </button>
      </form>
    </>
  );
}

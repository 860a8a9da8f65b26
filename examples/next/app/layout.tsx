import { headerContent, pageStyle } from '@logto-kit/example-shared';
import type { ReactNode } from 'react';
import { logto } from '../lib/logto';

export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { routes, getLogto } = await logto();
  const signedIn = await getLogto().isAuthenticated();
  const header = headerContent({
    framework: 'Next.js',
    signedIn,
    links: { signIn: routes.signIn, signOut: routes.signOut },
  });
  return (
    <html lang="en">
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the sample's own constant style sheet */}
        <style dangerouslySetInnerHTML={{ __html: pageStyle }} />
      </head>
      <body>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: shared markup, every value escaped */}
        <header dangerouslySetInnerHTML={{ __html: header }} />
        <main className="wrap">{children}</main>
      </body>
    </html>
  );
}

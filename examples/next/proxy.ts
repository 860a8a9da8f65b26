// Runs before every page: refreshes tokens ahead of expiry (so Server Components find them
// fresh), sends signed-out visitors of /protected to sign-in, answers /protected/no-redirect
// with 401 JSON when signed out.
import { logto } from './lib/logto';

let guard: ((request: Request) => Promise<Response>) | undefined;

export async function proxy(request: Request): Promise<Response> {
  guard ??= (await logto()).proxy({
    protect: ['/protected'],
    api: ['/protected/no-redirect'],
    refreshAhead: Number(process.env.LOGTO_REFRESH_AHEAD ?? 30),
    // LOGTO_PREFETCH=0 leaves tokens the session lacks to the pages (a test of that path).
    prefetch: process.env.LOGTO_PREFETCH !== '0',
  });
  return guard(request);
}

export const config = {
  // Everything but Next's own files and the auth routes (which handle the session themselves).
  matcher: ['/((?!_next/|favicon.ico|auth/).*)'],
};

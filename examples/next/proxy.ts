// Runs before every page: refreshes tokens ahead of expiry (so Server Components find them
// fresh), sends signed-out visitors of /protected to sign-in, answers /protected/no-redirect
// with 401 JSON when signed out, and a signed-in user without the reader role 403 on
// /protected/readers.
import { logto } from './lib/logto';

let guard: ((request: Request) => Promise<Response>) | undefined;

export async function proxy(request: Request): Promise<Response> {
  // PROXY_GUARDS=off (tests only): the proxy only refreshes, so the pages' and Route Handlers'
  // own checks answer.
  const guarded = process.env.PROXY_GUARDS !== 'off';
  guard ??= (await logto()).proxy({
    protect: guarded ? ['/protected', { path: '/protected/readers', roles: ['reader'] }] : [],
    api: guarded ? ['/protected/no-redirect'] : [],
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

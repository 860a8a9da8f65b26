// A Route Handler for readers, on the session (not a Bearer token): logto.authenticated()
// answers 401 JSON signed out and 403 to a signed-in user without the role. The proxy's
// /protected/readers entry covers it too; this checks again rather than trust a matcher.
import type { RouteHandler } from '@logto-kit/next';
import { logto } from '../../../../lib/logto';

let handler: RouteHandler | undefined;

export async function GET(request: Request): Promise<Response> {
  handler ??= (await logto()).authenticated({ roles: ['reader'] }, (_request, user) =>
    Response.json({ reader: user.sub, roles: user.roles ?? [] }),
  );
  return handler(request);
}

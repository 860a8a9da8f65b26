// The proxy answers a signed-out request with 401 JSON; the Route Handler checks again, with
// logto.authenticated() (the same 401 JSON, core's).
import type { RouteHandler } from '@logto-kit/next';
import { logto } from '../../../lib/logto';

let handler: RouteHandler | undefined;

export async function GET(request: Request): Promise<Response> {
  handler ??= (await logto()).authenticated({}, () =>
    Response.json({
      message:
        'User is authenticated (try to access this route without being authenticated to see the difference)',
    }),
  );
  return handler(request);
}

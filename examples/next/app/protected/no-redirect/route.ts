// The proxy answers a signed-out request with 401 JSON; a Route Handler checks again.
import { logto } from '../../../lib/logto';

export async function GET() {
  if (!(await (await logto()).getLogto().isAuthenticated())) {
    return Response.json(
      { error: 'not_authenticated', message: 'Please sign in to continue.' },
      { status: 401 },
    );
  }
  return Response.json({
    message:
      'User is authenticated (try to access this route without being authenticated to see the difference)',
  });
}

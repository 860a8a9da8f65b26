// The API half: a Route Handler that takes the user's (or a machine's) access token, not the
// session. requireAccessToken() checks the Bearer token (RFC 6750 answers); the options are
// read on the first request, as lib/logto.ts does (`next build` runs without the settings).
import { notesAnswer, notesPath } from '@logto-kit/example-shared';
import { type RouteHandler, requireAccessToken } from '@logto-kit/next';
import { app } from '../../../lib/logto';

let notes: RouteHandler | undefined;

export async function GET(request: Request): Promise<Response> {
  const { config } = await app();
  if (!config.resource) {
    return Response.json(
      { error: 'not_found', message: `Set LOGTO_RESOURCE to serve ${notesPath}.` },
      { status: 404 },
    );
  }
  notes ??= requireAccessToken(
    { endpoint: config.endpoint, resource: config.resource, scopes: ['read'] },
    (_request, auth) => Response.json(notesAnswer(auth)),
  );
  return notes(request);
}

import type { AccessTokenAuth } from '@logto-kit/core';

/** The example's API route, protected by `requireAccessToken` in both examples. */
export const notesPath = '/api/notes';

/**
 * What `GET /api/notes` answers a verified token: a few notes and who asked.
 *
 * @example
 * app.get(notesPath, requireAccessToken(options), (req, res) => res.json(notesAnswer(req.auth!)));
 */
export function notesAnswer(auth: AccessTokenAuth): Record<string, unknown> {
  return {
    notes: ['Buy milk', 'Ship the API'],
    subject: auth.subject,
    client: auth.clientId,
    scopes: auth.scopes.join(' '),
    machine: auth.isMachine,
  };
}

/**
 * Calls the example's own API server-side with an access token, as a web app calls its API;
 * the answer (with its HTTP status) is what the page shows.
 *
 * @example
 * const answer = await callNotesApi(config.baseUrl, await req.logto.getAccessToken(config.resource));
 */
export async function callNotesApi(
  baseUrl: string,
  token: string,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}${notesPath}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { body: text.slice(0, 200) };
  }
  return { status: response.status, ...body };
}

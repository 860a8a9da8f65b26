import { type AccessTokenAuth, MachineTokens } from '@logto-kit/core';
import type { ExampleConfig } from './config.js';
import { claimsPage, notePage } from './views.js';

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

const machines = new WeakMap<ExampleConfig, MachineTokens>();

/**
 * Calls the example's API as the machine-to-machine app itself (client credentials: no user),
 * with a token `MachineTokens` caches until shortly before it expires; `undefined` when the
 * example has no machine app or no API resource configured.
 *
 * @example
 * const answer = await callNotesApiAsMachine(config);
 */
export async function callNotesApiAsMachine(
  config: ExampleConfig,
): Promise<Record<string, unknown> | undefined> {
  if (!config.machine || !config.resource) return undefined;
  let machine = machines.get(config);
  if (!machine) {
    machine = new MachineTokens({ endpoint: config.endpoint, ...config.machine });
    machines.set(config, machine);
  }
  const token = await machine.getAccessToken({ resource: config.resource, scopes: ['read'] });
  return callNotesApi(config.baseUrl, token);
}

/**
 * The body of the example's `/protected/machine` page: the API's answer to the machine app, or
 * what to set to see one.
 *
 * @example
 * const body = await machinePage(config);
 */
export async function machinePage(config: ExampleConfig): Promise<string> {
  const answer = await callNotesApiAsMachine(config);
  return answer
    ? claimsPage(
        'Your API answered a machine',
        `GET ${notesPath} with a machine-to-machine token (client credentials, cached by MachineTokens): no user in it.`,
        answer,
      )
    : notePage(
        'Call the API as a machine',
        'Set LOGTO_M2M_APP_ID and LOGTO_M2M_APP_SECRET (a machine-to-machine app) and LOGTO_RESOURCE.',
      );
}

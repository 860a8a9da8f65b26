import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Directory } from './directory.js';
import { consentPage, messagePage, signInPage } from './pages.js';

const maxFormBytes = 16 * 1024;

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(html);
}

/** Reads an `application/x-www-form-urlencoded` body, refusing anything over 16 KiB. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxFormBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function samePassword(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const expired = (res: ServerResponse): void =>
  sendHtml(
    res,
    400,
    messagePage(
      'Sign-in expired',
      'This sign-in request is no longer valid (it expired, was already completed, or cookies are blocked). Go back to the application and sign in again.',
    ),
  );

/**
 * The Experience part of the dev server: the sign-in page (`/sign-in`) and consent (`/consent`,
 * automatic for first-party apps as Logto's `koaAutoConsent`). Garbage in gets a 4xx page.
 */
export class Interactions {
  constructor(
    private readonly provider: Provider,
    private readonly directory: Directory,
  ) {}

  async #details(req: IncomingMessage, res: ServerResponse): Promise<Interaction | undefined> {
    try {
      return await this.provider.interactionDetails(req, res);
    } catch {
      // SessionNotFound: no interaction cookie, or an expired or finished interaction.
      expired(res);
      return undefined;
    }
  }

  #appName(interaction: Interaction): string {
    const id = String(interaction.params.client_id ?? '');
    return this.directory.application(id)?.name ?? id;
  }

  async signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const interaction = await this.#details(req, res);
    if (!interaction) return;
    if (req.method === 'GET') {
      const loginHint = interaction.params.login_hint;
      sendHtml(
        res,
        200,
        signInPage({
          appName: this.#appName(interaction),
          ...(typeof loginHint === 'string' ? { username: loginHint } : {}),
        }),
      );
      return;
    }
    if (req.method !== 'POST') {
      sendHtml(res, 405, messagePage('Method not allowed', 'Use the sign-in form.'));
      return;
    }
    const form = await readForm(req);
    if (!form) {
      sendHtml(res, 413, messagePage('Too large', 'The form was too large.'));
      return;
    }
    const username = form.get('username') ?? '';
    const password = form.get('password') ?? '';
    const user = this.directory.userByUsername(username);
    if (!user || !samePassword(password, user.password)) {
      sendHtml(
        res,
        401,
        signInPage({
          appName: this.#appName(interaction),
          error: 'The username or password is incorrect.',
          username: username.slice(0, 200),
        }),
      );
      return;
    }
    await this.provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.id } },
      { mergeWithLastSubmission: false },
    );
  }

  async consent(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const interaction = await this.#details(req, res);
    if (!interaction) return;
    const { prompt, params, session, grantId } = interaction;
    if (prompt.name !== 'consent' || !session?.accountId) {
      expired(res);
      return;
    }
    const clientId = String(params.client_id);
    const app = this.directory.application(clientId);
    if (app && !app.firstParty && req.method !== 'POST') {
      sendHtml(
        res,
        200,
        consentPage({ appName: app.name, scopes: String(params.scope ?? '').split(' ') }),
      );
      return;
    }
    if (req.method === 'POST') await readForm(req);

    const { Grant } = this.provider;
    const grant =
      (grantId ? await Grant.find(grantId) : undefined) ??
      new Grant({ accountId: session.accountId, clientId });
    const details = prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
    if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const savedGrantId = await grant.save();
    await this.provider.interactionFinished(
      req,
      res,
      { consent: { grantId: savedGrantId } },
      { mergeWithLastSubmission: true },
    );
  }
}

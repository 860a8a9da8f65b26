/**
 * The sign-in transaction: what a sign-in remembers between the redirect to the provider and
 * the callback (redirect URI, PKCE verifier, nonce), keyed by its `state`. One concept, one
 * lifetime and one limit, wherever it is kept:
 * - by {@link LogtoClient}, under the storage key `'signInSession'` (the key name Logto's other
 *   SDKs use; sign-in transactions are what lives there) — see `lib/sign-in-transactions.ts`;
 * - by the web integrations, in one sealed cookie per `state` — see `session/transaction.ts`.
 *
 * @module
 */
import { z } from 'zod';

/**
 * How long a sign-in transaction lives, in seconds: enough to type a password and do MFA at
 * the provider, short enough that abandoned sign-ins clean themselves up.
 *
 * @example
 * ```ts
 * await manager.writeTransaction(cookieHeader, payload); // its cookie lives this long
 * SIGN_IN_TRANSACTION_MAX_AGE; // 600
 * ```
 */
export const SIGN_IN_TRANSACTION_MAX_AGE = 600;

/**
 * How many sign-in transactions may be in flight at once (tabs); beyond it the oldest goes.
 *
 * @example
 * ```ts
 * await writeTransaction(context, cookies, payload, { maxInFlight: MAX_SIGN_IN_TRANSACTIONS });
 * ```
 */
export const MAX_SIGN_IN_TRANSACTIONS = 5;

/**
 * The schema of a {@link SignInTransaction}.
 *
 * @example
 * ```ts
 * const parsed = signInTransactionSchema.safeParse(JSON.parse(raw));
 * ```
 */
export const signInTransactionSchema = z.object({
  redirectUri: z.string(),
  codeVerifier: z.string(),
  nonce: z.string(),
  /** Epoch milliseconds. */
  createdAt: z.number(),
});

/**
 * One sign-in in flight, as {@link createSignInRequest} makes it and {@link checkCallback}
 * checks the callback against it.
 *
 * @example
 * ```ts
 * const { state, transaction }: { state: string; transaction: SignInTransaction } =
 *   await createSignInRequest(metadata.authorization_endpoint, config, { redirectUri });
 * ```
 */
export type SignInTransaction = z.infer<typeof signInTransactionSchema>;

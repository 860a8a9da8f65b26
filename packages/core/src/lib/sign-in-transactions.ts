/**
 * The sign-in transactions a {@link LogtoClient} keeps in its storage, under the key
 * `'signInSession'` (Logto's other SDKs' name for it): a small JSON map keyed by `state`, so
 * several tabs can sign in at once. Each entry lives {@link SIGN_IN_TRANSACTION_MAX_AGE}; the
 * oldest entries are dropped beyond {@link MAX_SIGN_IN_TRANSACTIONS}.
 */
import { z } from 'zod';
import {
  MAX_SIGN_IN_TRANSACTIONS,
  SIGN_IN_TRANSACTION_MAX_AGE,
  type SignInTransaction,
  signInTransactionSchema,
} from '../sign-in-transaction.js';

const mapSchema = z.record(z.string(), signInTransactionSchema);

/** Reads the stored map, dropping expired or malformed entries. A broken value reads as empty. */
export function readSignInTransactions(
  raw: string | null | undefined,
  now: number = Date.now(),
): Record<string, SignInTransaction> {
  if (!raw) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return {}; // a corrupt value means "no sign-in in flight", the same as an absent one
  }
  const parsed = mapSchema.safeParse(json);
  if (!parsed.success) return {};
  const maxAge = SIGN_IN_TRANSACTION_MAX_AGE * 1000;
  return Object.fromEntries(
    Object.entries(parsed.data).filter(
      ([, transaction]) =>
        transaction.createdAt <= now + 60_000 && now - transaction.createdAt < maxAge,
    ),
  );
}

/** The map with one more sign-in, keeping only the newest {@link MAX_SIGN_IN_TRANSACTIONS}. */
export function addSignInTransaction(
  transactions: Record<string, SignInTransaction>,
  state: string,
  transaction: SignInTransaction,
): Record<string, SignInTransaction> {
  const entries = Object.entries({ ...transactions, [state]: transaction })
    .sort(([, a], [, b]) => a.createdAt - b.createdAt)
    .slice(-MAX_SIGN_IN_TRANSACTIONS);
  return Object.fromEntries(entries);
}

/** The map without one sign-in. */
export function removeSignInTransaction(
  transactions: Record<string, SignInTransaction>,
  state: string,
): Record<string, SignInTransaction> {
  const { [state]: _removed, ...rest } = transactions;
  return rest;
}

/**
 * The `signInSession` storage value: a small map of sign-ins in flight keyed by `state`, so
 * several tabs can sign in at once. Each entry lives a few minutes; the oldest entries are
 * dropped beyond a handful.
 */
import { z } from 'zod';

/** How long a sign-in may take: 10 minutes. */
export const SIGN_IN_TTL = 10 * 60_000;
/** How many sign-ins may be in flight per session. */
export const MAX_SIGN_INS = 5;

const transactionSchema = z.object({
  redirectUri: z.string(),
  codeVerifier: z.string(),
  nonce: z.string(),
  /** Epoch milliseconds. */
  createdAt: z.number(),
});

/** One sign-in in flight. */
export type SignInTransaction = z.infer<typeof transactionSchema>;

const mapSchema = z.record(z.string(), transactionSchema);

/** Reads the stored map, dropping expired or malformed entries. A broken value reads as empty. */
export function readSignInSessions(
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
  return Object.fromEntries(
    Object.entries(parsed.data).filter(
      ([, transaction]) =>
        transaction.createdAt <= now + 60_000 && now - transaction.createdAt < SIGN_IN_TTL,
    ),
  );
}

/** The map with one more sign-in, keeping only the newest {@link MAX_SIGN_INS}. */
export function addSignInSession(
  sessions: Record<string, SignInTransaction>,
  state: string,
  transaction: SignInTransaction,
): Record<string, SignInTransaction> {
  const entries = Object.entries({ ...sessions, [state]: transaction })
    .sort(([, a], [, b]) => a.createdAt - b.createdAt)
    .slice(-MAX_SIGN_INS);
  return Object.fromEntries(entries);
}

/** The map without one sign-in. */
export function removeSignInSession(
  sessions: Record<string, SignInTransaction>,
  state: string,
): Record<string, SignInTransaction> {
  const { [state]: _removed, ...rest } = sessions;
  return rest;
}

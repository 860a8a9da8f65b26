/**
 * The app's `afterCallback` hook, run after the provider accepted a sign-in and before anything
 * is saved: a {@link SignInRefusedError} refuses the user (403); anything else it throws is a
 * failure of the hook, logged (its class, message and first stack frame — never a token of
 * ours) and answered with the standard error page (500), never the framework's stack trace.
 *
 * @module
 */
import type { IdTokenClaims } from '../claims.js';
import type { LogtoClient } from '../client.js';
import { AfterCallbackError, SignInRefusedError } from '../errors.js';
import type { LevelLogger } from '../logger.js';

/** The hook's signature, as `LogtoWebOptions.afterCallback` declares it. */
export type AfterCallback = (context: {
  claims: IdTokenClaims;
  client: LogtoClient;
}) => void | Promise<void>;

/** Runs the hook: a refusal passes as it is; any other throw is logged and wrapped. */
export async function runAfterCallback(
  hook: AfterCallback,
  client: LogtoClient,
  logger: LevelLogger,
): Promise<void> {
  try {
    await hook({ claims: await client.getIdTokenClaims(), client });
  } catch (error) {
    if (error instanceof SignInRefusedError) {
      logger.info('logto: afterCallback refused the sign-in; nothing was saved');
      throw error;
    }
    logger.error(
      `logto: afterCallback threw ${describeThrown(error)}; the sign-in was not completed and nothing was saved`,
      { code: AfterCallbackError.code },
    );
    throw new AfterCallbackError({ cause: error });
  }
}

/** What an app's hook threw, for the log: its class, message and where. */
function describeThrown(error: unknown): string {
  if (!(error instanceof Error)) return `a non-Error value (${typeof error})`;
  const frame = error.stack?.split('\n').find((line) => /^\s+at /.test(line));
  const where = frame ? ` (${frame.trim()})` : '';
  return `${error.name}: ${error.message.replace(/\s+/g, ' ').slice(0, 200)}${where}`;
}

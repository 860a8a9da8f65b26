// Fail fast while a connection waits for Redis instead of failing: one probe at a time.
import { ErrorReply } from '@redis/client';

/** Thrown, at once, to the commands refused while the probe waits. */
export class RedisWaitingError extends Error {
  constructor() {
    super('Redis is not answering (a fail-over, most likely); not sent.');
    this.name = 'RedisWaitingError';
  }
}

/**
 * Wraps a `sendCommand` whose client holds commands while it looks for its server (node-redis's
 * Sentinel client does, during a fail-over) so that it fails fast as a single node does: once a
 * command has gone unanswered for (nearly) its whole `timeout`, or failed for want of a
 * connection, one command at a time goes through (the probe) and the others are refused at
 * once, until a command gets an answer. Error replies count as answers, except those that say
 * "not now" (`LOADING`, `MASTERDOWN`, `READONLY`, `TRYAGAIN`).
 */
export function failFast(
  send: (args: string[], options?: { timeout?: number }) => Promise<unknown>,
  defaultTimeout: number,
): (args: string[], options?: { timeout?: number }) => Promise<unknown> {
  let waiting = false;
  let probing = false;
  return (args, options) => {
    if (waiting && probing) return Promise.reject(new RedisWaitingError());
    const probe = waiting;
    if (probe) probing = true;
    let done = false;
    const finish = (answered: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      waiting = !answered;
      if (probe) probing = false;
    };
    // A little before the caller's own deadline, so its next command already sees it.
    const timer = setTimeout(() => finish(false), (options?.timeout ?? defaultTimeout) * 0.9);
    const sent = send(args, options);
    sent.then(
      () => {
        waiting = false; // an answer, even a late one, means Redis is back
        finish(true);
      },
      (error: unknown) => {
        if (isConnectionError(error)) finish(false);
        else {
          waiting = false;
          finish(true);
        }
      },
    );
    return sent;
  };
}

/** Anything but a reply from Redis (a closed socket, a timeout), or a reply saying "not now". */
function isConnectionError(error: unknown): boolean {
  return (
    !(error instanceof ErrorReply) || /^(LOADING|MASTERDOWN|READONLY|TRYAGAIN) /.test(error.message)
  );
}

import { ProviderTimeoutError } from '../errors.js';

/**
 * Settles like `work`, or rejects with {@link ProviderTimeoutError} once `timeout` ms have
 * passed, whichever comes first. The work itself is not cancelled: it goes on and records what
 * it gets (a refresh keeps a late token response), and its later failure is handled here, not
 * left unhandled. The timer is a plain one, so it fires whatever the garbage collector does.
 */
export function withDeadline<T>(work: Promise<T>, timeout: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ProviderTimeoutError()), timeout);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error); // a no-op once the deadline has rejected
      },
    );
  });
}

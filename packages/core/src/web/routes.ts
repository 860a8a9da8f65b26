/**
 * The auth routes' table: which methods each takes, and which route a request is for.
 *
 * @module
 */
import type { Action } from './context.js';

/** Safe methods only: a HEAD (a link prefetcher) never signs anyone out. */
const actionMethods: Record<Action, readonly string[]> = {
  signIn: ['GET', 'HEAD'],
  signUp: ['GET', 'HEAD'],
  callback: ['GET', 'HEAD'],
  signOut: ['GET'],
  backchannelLogout: ['POST'],
  // A GET that spends a refresh token but changes nothing else; HEAD (a prefetcher) is left out.
  refresh: ['GET'],
};

/** The auth route a request is for (one look-up by path), or `undefined` for the app's own. */
export function matchAction(
  actions: ReadonlyMap<string, Action>,
  method: string,
  target: string,
): Action | undefined {
  const full = pathAndQuery(target);
  const query = full.indexOf('?');
  const action = actions.get(query === -1 ? full : full.slice(0, query));
  return action && actionMethods[action].includes(method) ? action : undefined;
}

/**
 * The path and query of a request target: the origin form as it is; the absolute form (a
 * client may send one) and `*` by their path only.
 */
export function pathAndQuery(target: string): string {
  if (target.startsWith('/')) return target;
  if (!URL.canParse(target)) return '/';
  const { pathname, search } = new URL(target);
  return `${pathname}${search}`;
}

/**
 * Which of the proxy's `protect` and `api` entries cover a path, as the guard options core
 * decides them with: signed in, and each matching entry's rules (roles, scopes, organization, …).
 *
 * @module
 */
import type { AuthorizationRules, GuardOptions } from '@logto-kit/core';

/**
 * A path prefix of the proxy with rules (core's {@link AuthorizationRules}: `roles`,
 * `organization`, `organizationRoles`, `scopes` with `resource`, `check`):
 * `{ path: '/admin', roles: ['admin'] }` covers `/admin` and everything under it.
 */
export interface PathRule extends AuthorizationRules {
  path: string;
}

/** An entry of `protect` or `api`: a path prefix (signed in is enough), or one with rules. */
export type ProtectedPath = string | PathRule;

/** Whether `path` is `prefix` or under it. */
const under = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);

const pathOf = (entry: ProtectedPath): string => (typeof entry === 'string' ? entry : entry.path);

function check(name: string, entries: readonly ProtectedPath[] | undefined): void {
  if (entries === undefined) return;
  if (!Array.isArray(entries)) {
    throw new TypeError(`logto.proxy({ ${name} }) must be a list of paths or { path, … } rules.`);
  }
  for (const entry of entries) {
    const path = typeof entry === 'object' && entry !== null ? entry.path : entry;
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw new TypeError(
        `logto.proxy({ ${name} }): each entry is a path starting with "/", or { path: "/…", …rules }.`,
      );
    }
  }
}

/**
 * The guard options for each path: none for a path no entry covers; otherwise one per matching
 * entry that has rules (or one that only asks for a signed-in user), to pass to core's guard in
 * order. A path covered by an `api` entry answers 401 JSON when signed out; any other, a
 * redirect to sign-in that comes back (`shouldRedirect`).
 *
 * @example
 * ```ts
 * const guardsFor = pathGuards({ protect: ['/app', { path: '/app/admin', roles: ['admin'] }] });
 * guardsFor('/app/admin/users'); // [{ roles: ['admin'], shouldRedirect: true }]
 * ```
 */
export function pathGuards(options: {
  protect?: readonly ProtectedPath[] | undefined;
  api?: readonly ProtectedPath[] | undefined;
}): (pathname: string) => GuardOptions[] {
  check('protect', options.protect);
  check('api', options.api);
  const api = options.api ?? [];
  const pages = options.protect ?? [];
  return (pathname) => {
    const apis = api.filter((entry) => under(pathname, pathOf(entry)));
    const matched = [...apis, ...pages.filter((entry) => under(pathname, pathOf(entry)))];
    if (matched.length === 0) return [];
    const shouldRedirect = apis.length === 0;
    const ruled = matched.filter((entry): entry is PathRule => typeof entry !== 'string');
    if (ruled.length === 0) return [{ shouldRedirect }];
    return ruled.map(({ path: _path, ...rules }) => ({ ...rules, shouldRedirect }));
  };
}

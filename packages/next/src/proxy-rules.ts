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
  // Rules without their `path`, made once: nothing is allocated for a path no entry covers.
  const prepare = (entries: readonly ProtectedPath[] = [], api: boolean) =>
    entries.map((entry) => {
      if (typeof entry === 'string') return { path: entry, api, rules: undefined };
      const { path, ...rules } = entry;
      return { path, api, rules };
    });
  const entries = [...prepare(options.api, true), ...prepare(options.protect, false)];
  const none: GuardOptions[] = [];
  return (pathname) => {
    let matched = false;
    let api = false;
    let ruled: AuthorizationRules[] | undefined;
    for (const entry of entries) {
      if (!under(pathname, entry.path)) continue;
      matched = true;
      if (entry.api) api = true;
      if (entry.rules) {
        ruled ??= [];
        ruled.push(entry.rules);
      }
    }
    if (!matched) return none;
    const shouldRedirect = !api;
    return ruled ? ruled.map((rules) => ({ ...rules, shouldRedirect })) : [{ shouldRedirect }];
  };
}

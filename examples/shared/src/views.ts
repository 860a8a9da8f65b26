/** HTML for the example's pages: one layout, no template engine, everything escaped. */

/**
 * Escapes text for HTML content and attribute values.
 *
 * @example
 * `<td>${escapeHtml(value)}</td>`;
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The sample's style sheet (the Next.js example puts it in its root layout). */
export const pageStyle = `
:root{color-scheme:light dark;--accent:#5d34f2;--muted:color-mix(in srgb,CanvasText 60%,transparent);--line:color-mix(in srgb,CanvasText 14%,transparent)}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:Canvas;color:CanvasText}
header{border-bottom:1px solid var(--line)}
.wrap{max-width:52rem;margin:0 auto;padding:1rem 1.25rem}
header .wrap{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between}
header a.brand{font-weight:700;text-decoration:none;color:inherit;white-space:nowrap}
nav{display:flex;flex-wrap:wrap;gap:.35rem;flex:1}
nav a{padding:.3rem .6rem;border-radius:6px;text-decoration:none;color:inherit;font-size:.92rem}
nav a[aria-current=page]{background:color-mix(in srgb,var(--accent) 16%,transparent);color:var(--accent)}
h1{font-size:1.6rem;margin:1.2rem 0 .3rem}
p.lead{color:var(--muted);margin-top:0}
.card{border:1px solid var(--line);border-radius:12px;padding:1rem 1.25rem;margin:1rem 0}
.status{display:flex;align-items:center;gap:.6rem}
.dot{width:.65rem;height:.65rem;border-radius:50%;background:#e5484d}
.dot.on{background:#30a46c}
.button{display:inline-block;white-space:nowrap;padding:.55rem 1rem;border-radius:8px;background:var(--accent);color:#fff;text-decoration:none;font-weight:600}
.button.secondary{background:transparent;color:var(--accent);border:1px solid var(--accent)}
ul.links{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.6rem}
ul.links a{display:block;border:1px solid var(--line);border-radius:10px;padding:.75rem 1rem;text-decoration:none;color:inherit}
ul.links a small{display:block;color:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid var(--line)}
th{white-space:nowrap;font-weight:600;width:1%}
code,pre{font:0.88rem/1.5 ui-monospace,SFMono-Regular,Menlo,monospace}
td code{word-break:break-all}
.note{color:var(--muted);font-size:.92rem}
.error{border-color:#e5484d}
`;

const navItems: [string, string][] = [
  ['/', 'Home'],
  ['/protected', 'ID token'],
  ['/protected/userinfo', 'Userinfo'],
  ['/protected/organizations', 'Organization token'],
  ['/protected/api-resource', 'API resource'],
];

/** The API half's pages, in the navigation of the examples that serve them. */
const apiNavItems: [string, string][] = [
  ['/protected/api-call', 'Call the API'],
  ['/protected/readers', 'Readers only'],
  ['/protected/machine', 'As a machine'],
];

/** Where the sign-in and sign-out links go: `/sign-in` and `/sign-out` unless the app moved them. */
export interface AuthLinks {
  signIn: string;
  signOut: string;
}

const rootLinks: AuthLinks = { signIn: '/sign-in', signOut: '/sign-out' };

/**
 * The header's content: the brand, the navigation (the current page marked when `path` is
 * given) and the sign-in or sign-out link.
 *
 * @example
 * headerContent({ framework: 'Next.js', signedIn: true, links: { signIn: '/auth/sign-in', signOut: '/auth/sign-out' } });
 */
export function headerContent(options: {
  framework: string;
  path?: string | undefined;
  signedIn: boolean;
  links?: AuthLinks | undefined;
  /** Whether the app serves the API half's pages (default true). */
  apiPages?: boolean | undefined;
}): string {
  const links = options.links ?? rootLinks;
  const nav = [...navItems, ...(options.apiPages === false ? [] : apiNavItems)]
    .map(
      ([href, label]) =>
        `<a href="${href}"${href === options.path ? ' aria-current="page"' : ''}>${label}</a>`,
    )
    .join('');
  const auth = options.signedIn
    ? `<a class="button secondary" href="${escapeHtml(links.signOut)}">Sign out</a>`
    : `<a class="button" href="${escapeHtml(links.signIn)}">Sign in</a>`;
  return `<div class="wrap"><a class="brand" href="/">Logto ${escapeHtml(options.framework)} sample</a><nav>${nav}</nav>${auth}</div>`;
}

/**
 * The page frame: header with navigation and the sign-in / sign-out link.
 *
 * @example
 * c.html(layout({ framework: 'Hono', title: 'Home', path: '/', signedIn: false, body: '' }));
 */
export function layout(options: {
  /** Which sample this is, in the title and header: `'Express'`, `'Hono'`. */
  framework: string;
  title: string;
  path: string;
  signedIn: boolean;
  body: string;
}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · Logto ${escapeHtml(options.framework)} sample</title>
<style>${pageStyle}</style>
</head>
<body>
<header>${headerContent(options)}</header>
<main class="wrap">
${options.body}
</main>
</body>
</html>`;
}

function renderValue(value: unknown): string {
  if (value === null) return '<code>null</code>';
  if (typeof value === 'object') return `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
  return `<code>${escapeHtml(String(value))}</code>`;
}

/**
 * A table of claims, in the order they came.
 *
 * @example
 * claimsTable({ sub: 'demo-user-01', email: 'demo@example.com' });
 */
export function claimsTable(claims: Record<string, unknown>): string {
  const rows = Object.entries(claims)
    .map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${renderValue(value)}</td></tr>`)
    .join('');
  return `<table id="claims">${rows}</table>`;
}

/**
 * The home page: who is signed in, and where to go.
 *
 * @example
 * homePage('Hono', await client.getIdTokenClaims());
 */
export function homePage(
  framework: string,
  user:
    | { name?: string | null; username?: string | null; email?: string | null; sub: string }
    | undefined,
  links: AuthLinks = rootLinks,
): string {
  const heading = `<h1>Logto ${escapeHtml(framework)} sample</h1>
<p class="lead">The Logto Python quick start's sample, in TypeScript on ${escapeHtml(framework)}.</p>`;
  if (!user) {
    return `${heading}
<div class="card status" id="status"><span class="dot"></span><span>Not authenticated</span></div>
<p><a class="button" href="${escapeHtml(links.signIn)}">Sign in</a></p>
<ul class="links">
<li><a href="/protected">View protected <small>redirects to sign-in</small></a></li>
<li><a href="/protected/no-redirect">View protected (no redirect) <small>401 JSON when signed out</small></a></li>
</ul>`;
  }
  const display = user.name || user.username || user.email || user.sub;
  return `${heading}
<div class="card status" id="status"><span class="dot on"></span><span>Signed in as <strong>${escapeHtml(display)}</strong></span></div>
<ul class="links">
<li><a href="/protected">ID token claims <small>from the verified ID token, no network</small></a></li>
<li><a href="/protected/userinfo">Userinfo <small>custom data, identities, organizations</small></a></li>
<li><a href="/protected/no-redirect">View protected (no redirect) <small>JSON</small></a></li>
<li><a href="/protected/organizations">Organization token <small>for your first organization</small></a></li>
<li><a href="/protected/api-resource">API resource token <small>for LOGTO_RESOURCE</small></a></li>
</ul>`;
}

/**
 * A page that shows claims under a heading.
 *
 * @example
 * claimsPage('ID token claims', 'From the verified ID token.', { ...claims });
 */
export function claimsPage(title: string, lead: string, claims: Record<string, unknown>): string {
  return `<h1>${escapeHtml(title)}</h1><p class="lead">${escapeHtml(lead)}</p><div class="card">${claimsTable(claims)}</div>`;
}

/**
 * A page that explains why there is nothing to show.
 *
 * @example
 * notePage('Organization token', 'You are not a member of any organization.');
 */
export function notePage(title: string, message: string): string {
  return `<h1>${escapeHtml(title)}</h1><div class="card"><p class="note" id="note">${escapeHtml(message)}</p></div>`;
}

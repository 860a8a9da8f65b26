/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const style = `
:root{color-scheme:light dark;--accent:#5d34f2}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:Canvas;color:CanvasText}
main{width:min(22rem,92vw);padding:2rem;border:1px solid color-mix(in srgb,CanvasText 15%,transparent);border-radius:12px}
h1{font-size:1.35rem;margin:0 0 .25rem}
p.sub{margin:0 0 1.5rem;opacity:.7;font-size:.9rem}
label{display:block;font-size:.85rem;margin:1rem 0 .3rem}
input{width:100%;padding:.6rem .7rem;font:inherit;border-radius:8px;border:1px solid color-mix(in srgb,CanvasText 30%,transparent);background:Canvas;color:CanvasText}
button{margin-top:1.5rem;width:100%;padding:.65rem;font:inherit;font-weight:600;border:0;border-radius:8px;background:var(--accent);color:#fff;cursor:pointer}
.error{margin:1rem 0 0;padding:.6rem .8rem;border-radius:8px;background:color-mix(in srgb,#e5484d 15%,transparent);color:#e5484d;font-size:.9rem}
.badge{display:inline-block;font-size:.7rem;padding:.1rem .45rem;border-radius:99px;background:color-mix(in srgb,var(--accent) 20%,transparent);margin-bottom:1rem}
ul{padding-left:1.2rem}
`;

/** Wraps a page body in the dev server's layout. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · logto-dev</title>
<style>${style}</style>
</head>
<body><main><span class="badge">logto-dev · local identity provider</span>
${body}
</main></body>
</html>`;
}

/** The username + password form. */
export function signInPage(options: {
  appName: string;
  error?: string;
  username?: string;
}): string {
  const error = options.error
    ? `<p class="error" role="alert" id="error">${escapeHtml(options.error)}</p>`
    : '';
  return page(
    'Sign in',
    `<h1>Sign in</h1>
<p class="sub">to continue to ${escapeHtml(options.appName)}</p>
<form method="post" action="/sign-in" autocomplete="on">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required autofocus value="${escapeHtml(options.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
${error}
<button type="submit" id="submit">Sign in</button>
</form>`,
  );
}

/** The consent page for third-party applications. */
export function consentPage(options: { appName: string; scopes: string[] }): string {
  const items = options.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
  return page(
    'Authorize',
    `<h1>Authorize ${escapeHtml(options.appName)}</h1>
<p class="sub">This application asks for:</p>
<ul>${items}</ul>
<form method="post" action="/consent"><button type="submit" id="authorize">Authorize</button></form>`,
  );
}

/** A page that explains a problem; the status code says the rest. */
export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

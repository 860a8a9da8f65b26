/** Whether a URL hostname is a loopback host (where plain http is acceptable). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  // Not `*.localhost`: RFC 6761 reserves it, but Node resolves it through DNS like any name.
  if (host === 'localhost') return true;
  if (host === '[::1]' || host === '::1') return true;
  return /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Whether a URL may be called: https, or http on a loopback host. */
export function isAllowedProviderUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/** Origin + path of a URL, for comparing a callback with the redirect URI it answers. */
export function originAndPath(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

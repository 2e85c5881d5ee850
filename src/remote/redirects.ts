// What the proxy does with a redirect from a remote MCP server. It follows none blindly: it carries
// the user's Atlassian token, and the classic failure (`/mcp` → `/mcp/` answered with 301 to a POST)
// silently turns the JSON-RPC POST into a GET that the server rejects with a baffling error.
import { isLoopbackHostname } from './config';

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export type RedirectDecision =
  | { readonly follow: true; readonly url: URL; readonly method: string; readonly note: string }
  | { readonly follow: false; readonly message: string };

/** Same origin, and the only change is an added trailing slash: the usual `/mcp` → `/mcp/`. */
function onlyAddsSlash(from: URL, to: URL): boolean {
  return to.origin === from.origin && to.pathname === `${from.pathname}/` && to.search === from.search;
}

function setTheUrl(to: URL, from: URL): string {
  return onlyAddsSlash(from, to) ? `set the server's URL to ${to.href} (with the trailing slash)` : `set the server's URL to ${to.href}`;
}

/**
 * Decides one redirect hop. Followed only within the origin (credentials never leave it), never
 * from https to http, and for anything but GET/HEAD only with 307/308, which keep method and body.
 */
export function decideRedirect(status: number, method: string, from: URL, location: string | undefined): RedirectDecision {
  let to: URL;
  try {
    if (!location) throw new Error('no Location');
    to = new URL(location, from);
  } catch {
    return { follow: false, message: `The server at ${from.href} answered ${status} (a redirect) without a usable Location header.` };
  }
  if (to.protocol !== 'https:' && to.protocol !== 'http:') {
    return { follow: false, message: `The server at ${from.href} redirects to ${to.href}, which is not an http(s) URL.` };
  }
  if (from.protocol === 'https:' && to.protocol === 'http:') {
    // Usually a TLS-terminating front end that builds absolute Locations with the internal scheme:
    // the same path on the configured https origin is what the user wants.
    const secure = to.hostname === from.hostname ? new URL(`${to.pathname}${to.search}`, from.origin) : undefined;
    const hint =
      secure === undefined || secure.href === from.href
        ? 'Fix the server (it probably does not know it sits behind TLS).'
        : `If the server also answers at ${secure.href}, set the server's URL to that.`;
    return { follow: false, message: `The server at ${from.href} redirects to plain http (${to.href}); the proxy does not send your Atlassian token without TLS. ${hint}` };
  }
  if (to.protocol === 'http:' && !isLoopbackHostname(to.hostname)) {
    return { follow: false, message: `The server at ${from.href} redirects to plain http on another machine (${to.href}); the proxy does not send your Atlassian token without TLS.` };
  }
  if (to.origin !== from.origin) {
    return {
      follow: false,
      message: `The server at ${from.href} redirects to another origin (${to.href}); the proxy sends your Atlassian token only to the origin you configured. If you trust ${to.origin}, ${setTheUrl(to, from)}.`,
    };
  }
  const safeMethod = method === 'GET' || method === 'HEAD';
  if (!safeMethod && status !== 307 && status !== 308) {
    return {
      follow: false,
      message: `The server redirects ${from.href} to ${to.href} with ${status}, which would turn this ${method} into a GET and lose the MCP message; ${setTheUrl(to, from)}.`,
    };
  }
  // 303 means "see the other resource with GET"; a GET stays a GET, a HEAD stays a HEAD.
  const nextMethod = status === 303 && method !== 'HEAD' ? 'GET' : method;
  return { follow: true, url: to, method: nextMethod, note: `The server redirects ${from.href} to ${to.href} (${status}); ${setTheUrl(to, from)} to save a round trip.` };
}

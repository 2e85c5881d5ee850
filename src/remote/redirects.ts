// What the proxy does with a redirect from a remote MCP server. It follows none blindly: it carries
// the user's Atlassian token, and the classic failure (`/mcp` → `/mcp/` answered with 301 to a POST)
// silently turns the JSON-RPC POST into a GET that the server rejects with a baffling error.
import * as l10n from '@vscode/l10n';
import { isLoopbackHostname } from './config';

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export type RedirectDecision =
  | { readonly follow: true; readonly url: URL; readonly method: string; readonly note: string }
  | { readonly follow: false; readonly message: string };

/** Same origin, and the only change is an added trailing slash: the usual `/mcp` → `/mcp/`. */
function onlyAddsSlash(from: URL, to: URL): boolean {
  return to.origin === from.origin && to.pathname === `${from.pathname}/` && to.search === from.search;
}

/**
 * Decides one redirect hop. Followed only within the origin (credentials never leave it), never
 * from https to http, and for anything but GET/HEAD only with 307/308, which keep method and body.
 */
export function decideRedirect(
  status: number,
  method: string,
  from: URL,
  location: string | undefined,
): RedirectDecision {
  let to: URL;
  try {
    if (!location) throw new Error('no Location');
    to = new URL(location, from);
  } catch {
    return {
      follow: false,
      message: l10n.t(
        'The server at {0} answered {1} (a redirect) without a usable Location header.',
        from.href,
        status,
      ),
    };
  }
  if (to.protocol !== 'https:' && to.protocol !== 'http:') {
    return {
      follow: false,
      message: l10n.t('The server at {0} redirects to {1}, which is not an http(s) URL.', from.href, to.href),
    };
  }
  if (from.protocol === 'https:' && to.protocol === 'http:') {
    // Usually a TLS-terminating front end that builds absolute Locations with the internal scheme:
    // the same path on the configured https origin is what the user wants.
    const secure = to.hostname === from.hostname ? new URL(`${to.pathname}${to.search}`, from.origin) : undefined;
    const hint =
      secure === undefined || secure.href === from.href
        ? l10n.t('Fix the server (it probably does not know it sits behind TLS).')
        : l10n.t("If the server also answers at {0}, set the server's URL to that.", secure.href);
    return {
      follow: false,
      message: l10n.t(
        'The server at {0} redirects to plain http ({1}); the proxy does not send your Atlassian token without TLS. {2}',
        from.href,
        to.href,
        hint,
      ),
    };
  }
  if (to.protocol === 'http:' && !isLoopbackHostname(to.hostname)) {
    return {
      follow: false,
      message: l10n.t(
        'The server at {0} redirects to plain http on another machine ({1}); the proxy does not send your Atlassian token without TLS.',
        from.href,
        to.href,
      ),
    };
  }
  if (to.origin !== from.origin) {
    return {
      follow: false,
      message: l10n.t(
        "The server at {0} redirects to another origin ({1}); the proxy sends your Atlassian token only to the origin you configured. If you trust {2}, set the server's URL to {1}.",
        from.href,
        to.href,
        to.origin,
      ),
    };
  }
  // Whether the fix is only the usual missing trailing slash, which the messages then point out.
  const slash = onlyAddsSlash(from, to);
  const safeMethod = method === 'GET' || method === 'HEAD';
  if (!safeMethod && status !== 307 && status !== 308) {
    return {
      follow: false,
      message: slash
        ? l10n.t(
            "The server redirects {0} to {1} with {2}, which would turn this {3} into a GET and lose the MCP message; set the server's URL to {1} (with the trailing slash).",
            from.href,
            to.href,
            status,
            method,
          )
        : l10n.t(
            "The server redirects {0} to {1} with {2}, which would turn this {3} into a GET and lose the MCP message; set the server's URL to {1}.",
            from.href,
            to.href,
            status,
            method,
          ),
    };
  }
  // 303 means "see the other resource with GET"; a GET stays a GET, a HEAD stays a HEAD.
  const nextMethod = status === 303 && method !== 'HEAD' ? 'GET' : method;
  const note = slash
    ? l10n.t(
        "The server redirects {0} to {1} ({2}); set the server's URL to {1} (with the trailing slash) to save a round trip.",
        from.href,
        to.href,
        status,
      )
    : l10n.t(
        "The server redirects {0} to {1} ({2}); set the server's URL to {1} to save a round trip.",
        from.href,
        to.href,
        status,
      );
  return { follow: true, url: to, method: nextMethod, note };
}

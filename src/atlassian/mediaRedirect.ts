// Confluence Cloud answers a file download with a redirect to its media host; the address carries
// its own short-lived token. That hop is followed WITHOUT the site's credentials (as a browser does
// across hosts), so the token never leaves for another host; only to https (or to loopback http
// when the site itself is loopback http: the sandbox), and only a few hops.
import * as l10n from '@vscode/l10n';
import { AtlassianError } from './errors';

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const MAX_HOPS = 3;

export interface FollowedResponse {
  readonly response: Response;
  /** Host that gave the final answer, named in errors about it. */
  readonly host: string;
}

/** A hop that could not be fetched at all; `host` is the one that did not answer. */
export class FollowFailure extends Error {
  constructor(
    readonly host: string,
    override readonly cause: unknown,
  ) {
    super(`Could not reach ${host}`, { cause });
  }
}

export interface FollowOptions {
  readonly fetch: typeof fetch;
  readonly signal: AbortSignal;
  readonly userAgent?: string;
}

/** Follows `first` (a redirect from `from`) to a final answer, sending no credentials on any hop. */
export async function followWithoutCredentials(
  from: URL,
  first: Response,
  options: FollowOptions,
): Promise<FollowedResponse> {
  let url = from;
  let response = first;
  for (let hop = 0; REDIRECT_STATUS.has(response.status); hop++) {
    await response.body?.cancel();
    const next = target(url, response, from.host);
    if (hop >= MAX_HOPS)
      throw new AtlassianError(
        l10n.t('{0} redirected the download more than {1} times; it was not followed further.', from.host, MAX_HOPS),
        { kind: 'redirected', host: next.host, status: response.status, location: `${next.origin}${next.pathname}` },
      );
    url = next;
    try {
      response = await options.fetch(url, {
        method: 'GET',
        headers: { Accept: '*/*', ...(options.userAgent ? { 'User-Agent': options.userAgent } : {}) },
        signal: options.signal,
        redirect: 'manual',
      });
    } catch (err) {
      throw new FollowFailure(url.host, err);
    }
  }
  return { response, host: url.host };
}

/** Where a redirect may be followed to without credentials; anything else is refused with its reason. */
function target(url: URL, response: Response, site: string): URL {
  const raw = response.headers.get('location');
  let next: URL | undefined;
  try {
    next = raw ? new URL(raw, url) : undefined;
  } catch {
    next = undefined;
  }
  if (!next)
    throw new AtlassianError(
      l10n.t('{0} answered {1} with a redirect without a usable address.', site, response.status),
      { kind: 'redirected', host: site, status: response.status },
    );
  const loopback = (u: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  const allowed = next.protocol === 'https:' || (next.protocol === 'http:' && loopback(next) && loopback(url));
  if (!allowed)
    // Only scheme, host and path are named: the query string carries the media token.
    throw new AtlassianError(
      l10n.t(
        '{0} redirected the download to {1}, which was not followed: only https addresses are.',
        site,
        `${next.origin}${next.pathname}`,
      ),
      { kind: 'redirected', host: site, status: response.status, location: `${next.origin}${next.pathname}` },
    );
  return next;
}

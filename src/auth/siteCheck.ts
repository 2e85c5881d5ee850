// The site step asks the site at once, before any secret is typed: a Cloud site names its cloud id
// at /_edge/tenant_info, a Jira Data Center server describes itself at /rest/api/2/serverInfo; both
// answer without signing in.
import * as l10n from '@vscode/l10n';
import type { SiteAddress } from './siteAddress';

export type SiteKind = 'cloud' | 'dataCenter';

export type SiteCheck =
  | { readonly ok: true; readonly kind: 'cloud'; readonly cloudId: string }
  | { readonly ok: true; readonly kind: 'dataCenter'; readonly title: string | undefined; readonly version?: string }
  | {
      readonly ok: false;
      readonly problem: 'notFound' | 'wrongKind' | 'network' | 'unexpected';
      readonly message: string;
    };

export interface SiteCheckOptions {
  /** What the chosen sign-in method needs; the other kind is refused with what to use instead. */
  readonly expect: SiteKind;
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** Answers larger than this are not a tenant_info or serverInfo document. */
const MAX_BODY = 64 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function checkSite(site: SiteAddress, options: SiteCheckOptions): Promise<SiteCheck> {
  const get = (path: string) => getJson(`${site.baseUrl}${path}`, options);
  try {
    // Cloud first where the host says so, or where Cloud is wanted; a *.atlassian.net host is never Data Center.
    if (site.atlassianCloudHost || options.expect === 'cloud') {
      const tenant = await get('/_edge/tenant_info');
      const cloudId = tenant.status === 200 ? stringField(tenant.body, 'cloudId') : undefined;
      if (cloudId && UUID.test(cloudId)) {
        if (options.expect === 'cloud') return { ok: true, kind: 'cloud', cloudId };
        return wrongKind(cloudNotDataCenter(site));
      }
      if (site.atlassianCloudHost) return notFound(site);
    }
    const server = await get('/rest/api/2/serverInfo');
    const deployment = stringField(server.body, 'deploymentType');
    if (server.status === 200 && deployment) {
      if (deployment === 'Cloud') {
        return options.expect === 'cloud' ? notFound(site) : wrongKind(cloudNotDataCenter(site));
      }
      if (options.expect === 'cloud')
        return wrongKind(
          l10n.t('{0} is a Jira Data Center server: choose "Data Center — personal access token" instead.', site.host),
        );
      return {
        ok: true,
        kind: 'dataCenter',
        title: stringField(server.body, 'serverTitle'),
        version: stringField(server.body, 'version'),
      };
    }
    if (options.expect === 'dataCenter') {
      // A Cloud site on another host name (a custom domain, the sandbox) still has tenant_info.
      const tenant = await get('/_edge/tenant_info');
      if (tenant.status === 200 && stringField(tenant.body, 'cloudId')) return wrongKind(cloudNotDataCenter(site));
      // Some Data Center servers refuse anonymous callers; the address is right if Jira answers at all.
      if ((server.status === 401 || server.status === 403) && server.jira)
        return { ok: true, kind: 'dataCenter', title: undefined };
    }
    return notFound(site);
  } catch (err) {
    if (options.signal?.aborted) throw err;
    return {
      ok: false,
      problem: 'network',
      message: l10n.t(
        'Could not reach {0}: check the address, your network, proxy or VPN. ({1})',
        site.host,
        errorCode(err),
      ),
    };
  }
}

interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
  /** Whether the answer looks like it came from Jira (its error body or headers). */
  readonly jira: boolean;
}

async function getJson(url: string, options: SiteCheckOptions): Promise<JsonAnswer> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const response = await (options.fetch ?? fetch)(url, {
    headers: { Accept: 'application/json' },
    redirect: 'follow',
    signal,
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text.length <= MAX_BODY ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const jira =
    response.headers.has('x-arequestid') ||
    (typeof body === 'object' && body !== null && ('errorMessages' in body || 'deploymentType' in body));
  return { status: response.status, body, jira };
}

function stringField(body: unknown, field: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' && value.length > 0 && value.length < 200 ? value : undefined;
}

function notFound(site: SiteAddress): SiteCheck {
  return {
    ok: false,
    problem: 'notFound',
    message: site.atlassianCloudHost
      ? l10n.t(
          "There is no Atlassian Cloud site at {0}: check the name (it is in your browser's address bar).",
          site.host,
        )
      : l10n.t('No Jira answers at {0}: check the address, including its path (e.g. /jira).', site.baseUrl),
  };
}

function cloudNotDataCenter(site: SiteAddress): string {
  return l10n.t(
    '{0} is an Atlassian Cloud site: choose "Atlassian Cloud — API token" (or browser sign-in) instead.',
    site.host,
  );
}

function wrongKind(message: string): SiteCheck {
  return { ok: false, problem: 'wrongKind', message };
}

function errorCode(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (err instanceof Error && err.name === 'TimeoutError') return l10n.t('no answer in time');
  return err instanceof Error ? err.message.slice(0, 120) : String(err).slice(0, 120);
}

// What a remote MCP server entry in the settings may say, checked before the proxy serves it. The
// rules come from the failures seen in real setups: plain http leaks tokens off the machine, and a
// header the client or the proxy owns must never be set twice (duplicate Accept, stray cloud ids).
import * as l10n from '@vscode/l10n';

/** One remote MCP server, as the extension reads it from the settings. */
export interface RemoteServerConfig {
  /** Stable id; the proxy keeps one route per id for its lifetime. */
  readonly id: string;
  readonly label: string;
  /** The server's MCP endpoint: https, or http on a loopback host. */
  readonly url: string;
  /** Which signed-in connection supplies Authorization and X-Atlassian-Cloud-Id. */
  readonly connectionId: string;
  /** Extra non-secret headers sent with every request (e.g. `X-Custom`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Why a header cannot be configured. */
type ReservedBecause = 'credentials' | 'cloudId' | 'secret' | 'mcpClient' | 'http';

/** Headers the proxy sets itself (credentials) or that the MCP client and HTTP own. */
const RESERVED_HEADERS: ReadonlyMap<string, ReservedBecause> = new Map<string, ReservedBecause>([
  ['authorization', 'credentials'],
  ['x-atlassian-cloud-id', 'cloudId'],
  ['proxy-authorization', 'secret'],
  ['cookie', 'secret'],
  ['accept', 'mcpClient'],
  ['content-type', 'mcpClient'],
  ['mcp-session-id', 'mcpClient'],
  ['mcp-protocol-version', 'mcpClient'],
  ['last-event-id', 'mcpClient'],
  ['host', 'http'],
  ['content-length', 'http'],
  ['transfer-encoding', 'http'],
  ['connection', 'http'],
  ['keep-alive', 'http'],
  ['upgrade', 'http'],
  ['te', 'http'],
  ['trailer', 'http'],
  ['expect', 'http'],
]);

function reservedBecause(because: ReservedBecause): string {
  switch (because) {
    case 'credentials':
      return l10n.t('the connection supplies credentials; secrets do not belong in settings');
    case 'cloudId':
      return l10n.t('the connection supplies the cloud id');
    case 'secret':
      return l10n.t('secrets do not belong in settings');
    case 'mcpClient':
      return l10n.t('the MCP client sets it');
    case 'http':
      return l10n.t('HTTP sets it');
  }
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Visible ASCII, space, tab and obs-text: no CR, LF or NUL (header injection).
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Hostnames that cannot leave this machine (a URL's `hostname`, so IPv6 comes bracketed). */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Why `url` cannot be a remote MCP endpoint, or undefined when it can. */
export function upstreamUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return l10n.t('"{0}" is not a valid URL.', url);
  }
  if (parsed.username || parsed.password)
    return l10n.t(
      'The URL must not contain a user name or password ({0}); the connection supplies credentials.',
      parsed.host,
    );
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:') {
    if (isLoopbackHostname(parsed.hostname)) return undefined;
    return l10n.t(
      '"{0}" uses plain http to another machine, which would send your Atlassian token unencrypted. Use {1} (plain http is allowed only for localhost/127.0.0.1).',
      url,
      `https://${parsed.host}${parsed.pathname}${parsed.search}`,
    );
  }
  return l10n.t('"{0}" must start with https:// (or http:// for a server on this machine).', url);
}

/** Everything wrong with one remote entry, as one message; undefined when it is usable. */
export function remoteConfigProblem(remote: RemoteServerConfig): string | undefined {
  const problems: string[] = [];
  if (!remote.id.trim())
    problems.push(
      l10n.t({
        message: 'it has no id',
        comment: ['One of the problems of a remote MCP server entry in the settings'],
      }),
    );
  if (!remote.connectionId.trim())
    problems.push(
      l10n.t({
        message: 'it names no connection to take credentials from',
        comment: ['One of the problems of a remote MCP server entry in the settings'],
      }),
    );
  const urlProblem = upstreamUrlProblem(remote.url);
  if (urlProblem) problems.push(urlProblem);
  const seen = new Map<string, string>();
  for (const [name, value] of Object.entries(remote.headers ?? {})) {
    const lower = name.toLowerCase();
    const reserved = RESERVED_HEADERS.get(lower);
    if (!HEADER_NAME.test(name)) problems.push(l10n.t('"{0}" is not a valid header name', name));
    else if (reserved !== undefined)
      problems.push(l10n.t('header "{0}" cannot be configured ({1})', name, reservedBecause(reserved)));
    else if (/^proxy-|^sec-/.test(lower)) problems.push(l10n.t('header "{0}" cannot be configured', name));
    const earlier = seen.get(lower);
    if (earlier !== undefined)
      problems.push(l10n.t('header "{0}" is set twice ("{1}" and "{0}"); names are case-insensitive', name, earlier));
    seen.set(lower, name);
    if (typeof value !== 'string' || !HEADER_VALUE.test(value))
      problems.push(l10n.t('header "{0}" has a value with line breaks or control characters', name));
  }
  if (problems.length === 0) return undefined;
  return l10n.t({
    message: 'Remote MCP server "{0}": {1}.',
    args: [remote.label || remote.id, problems.join('; ')],
    comment: ['{1}: the problems of the settings entry, separated by semicolons'],
  });
}

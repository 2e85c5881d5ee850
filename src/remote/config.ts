// What a remote MCP server entry in the settings may say, checked before the proxy serves it. The
// rules come from the failures seen in real setups: plain http leaks tokens off the machine, and a
// header the client or the proxy owns must never be set twice (duplicate Accept, stray cloud ids).

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

/** Headers the proxy sets itself (credentials) or that the MCP client and HTTP own. */
const RESERVED_HEADERS: ReadonlyMap<string, string> = new Map([
  ['authorization', 'the connection supplies credentials; secrets do not belong in settings'],
  ['x-atlassian-cloud-id', 'the connection supplies the cloud id'],
  ['proxy-authorization', 'secrets do not belong in settings'],
  ['cookie', 'secrets do not belong in settings'],
  ['accept', 'the MCP client sets it'],
  ['content-type', 'the MCP client sets it'],
  ['mcp-session-id', 'the MCP client sets it'],
  ['mcp-protocol-version', 'the MCP client sets it'],
  ['last-event-id', 'the MCP client sets it'],
  ['host', 'HTTP sets it'],
  ['content-length', 'HTTP sets it'],
  ['transfer-encoding', 'HTTP sets it'],
  ['connection', 'HTTP sets it'],
  ['keep-alive', 'HTTP sets it'],
  ['upgrade', 'HTTP sets it'],
  ['te', 'HTTP sets it'],
  ['trailer', 'HTTP sets it'],
  ['expect', 'HTTP sets it'],
]);

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
    return `"${url}" is not a valid URL.`;
  }
  if (parsed.username || parsed.password) return `The URL must not contain a user name or password (${parsed.host}); the connection supplies credentials.`;
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:') {
    if (isLoopbackHostname(parsed.hostname)) return undefined;
    return `"${url}" uses plain http to another machine, which would send your Atlassian token unencrypted. Use https://${parsed.host}${parsed.pathname}${parsed.search} (plain http is allowed only for localhost/127.0.0.1).`;
  }
  return `"${url}" must start with https:// (or http:// for a server on this machine).`;
}

/** Everything wrong with one remote entry, as one message; undefined when it is usable. */
export function remoteConfigProblem(remote: RemoteServerConfig): string | undefined {
  const problems: string[] = [];
  if (!remote.id.trim()) problems.push('it has no id');
  if (!remote.connectionId.trim()) problems.push('it names no connection to take credentials from');
  const urlProblem = upstreamUrlProblem(remote.url);
  if (urlProblem) problems.push(urlProblem);
  const seen = new Map<string, string>();
  for (const [name, value] of Object.entries(remote.headers ?? {})) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) problems.push(`"${name}" is not a valid header name`);
    else if (RESERVED_HEADERS.has(lower)) problems.push(`header "${name}" cannot be configured (${RESERVED_HEADERS.get(lower)})`);
    else if (/^proxy-|^sec-/.test(lower)) problems.push(`header "${name}" cannot be configured`);
    if (seen.has(lower)) problems.push(`header "${name}" is set twice ("${seen.get(lower)}" and "${name}"); names are case-insensitive`);
    seen.set(lower, name);
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) problems.push(`header "${name}" has a value with line breaks or control characters`);
  }
  if (problems.length === 0) return undefined;
  return `Remote MCP server "${remote.label || remote.id}": ${problems.join('; ')}.`;
}

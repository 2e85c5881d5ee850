// The bridge's settings, from the environment names of sooperset/mcp-atlassian (so an existing
// setup works unchanged) and a few command-line flags that override them.
import { delimiter, isAbsolute, resolve } from 'node:path';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../atlassian/http';
import { CHANNEL_FILE_ENV, CHANNEL_SECRET_ENV, CHANNEL_URL_ENV } from '../credentials/protocol';

export interface ServiceConfig {
  readonly url: string;
  readonly username?: string;
  readonly apiToken?: string;
  readonly personalToken?: string;
}

/** Where ATLASSIAN_AUDIT_LOG / --audit-log point: a file path, or `-` for stderr (src/bridge/audit.ts). */
export interface AuditTarget {
  readonly path: string;
  /** The file is renamed to `<path>.1` (replacing the previous one) once it would pass this size; 0 = never. */
  readonly maxBytes: number;
}

export const DEFAULT_AUDIT_MAX_BYTES = 5 * 1024 * 1024;

export interface BridgeConfig {
  readonly transport: 'stdio' | 'streamable-http';
  /** HTTP mode: `headers` = each request brings Atlassian credentials; `oauth` = the team server signs each person in. */
  readonly auth: 'headers' | 'oauth';
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly readOnly: boolean;
  /** undefined = every tool the toolsets allow. */
  readonly enabledTools?: ReadonlySet<string>;
  /** Raw TOOLSETS entries; undefined = the default toolset. */
  readonly toolsets?: readonly string[];
  /** Upper-cased project keys; undefined = unrestricted. */
  readonly projectsFilter?: readonly string[];
  readonly spacesFilter?: readonly string[];
  readonly jira?: ServiceConfig;
  readonly confluence?: ServiceConfig;
  readonly oauth?: { readonly accessToken: string; readonly cloudIds: readonly string[] };
  /** The OAuth API gateway (api.atlassian.com, or the sandbox's). */
  readonly apiBaseUrl: string;
  readonly channel?: { readonly url: string; readonly secret: string };
  /** Where the channel's address and secret are read from, per request (an mcp.json entry sets it). */
  readonly channelFile?: string;
  readonly timeoutMs: number;
  /** Largest answer read from Atlassian, after decompression (MAX_RESPONSE_BYTES). */
  readonly maxResponseBytes: number;
  /** Extra Host names accepted over HTTP (besides loopback and the bound host). */
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
  readonly verbose: boolean;
  /** Absolute directories attachment files may be written to (the first) and uploaded from. */
  readonly attachmentDirs?: readonly string[];
  /** How long SIGTERM waits for requests in flight before closing. */
  readonly shutdownGraceMs: number;
  /** Where every write is recorded (ATLASSIAN_AUDIT_LOG, --audit-log); undefined = nowhere. */
  readonly audit?: AuditTarget;
}

export const USAGE = `Usage: bridge [--transport stdio|streamable-http] [--host 127.0.0.1] [--port 8000] [--path /mcp]
              [--read-only] [--toolsets default,jira_agile|all] [--enabled-tools a,b] [--auth headers|oauth]
              [--audit-log PATH|-]   (every write as a JSON line, to a file or - for stderr: docs/audit-log.md)
       bridge team signout <account id> | team reencrypt      (team server administration)
Environment (same names as mcp-atlassian): JIRA_URL, JIRA_USERNAME, JIRA_API_TOKEN, JIRA_PERSONAL_TOKEN,
CONFLUENCE_URL, CONFLUENCE_USERNAME, CONFLUENCE_API_TOKEN, CONFLUENCE_PERSONAL_TOKEN,
ATLASSIAN_OAUTH_ACCESS_TOKEN, ATLASSIAN_OAUTH_CLOUD_ID, ATLASSIAN_API_BASE_URL, READ_ONLY_MODE, TOOLSETS,
ENABLED_TOOLS, JIRA_PROJECTS_FILTER, CONFLUENCE_SPACES_FILTER, ATLASSIAN_ATTACHMENT_DIRS, TRANSPORT, HOST, PORT,
STREAMABLE_HTTP_PATH, MAX_RESPONSE_BYTES, MCP_AUTH, MCP_SHUTDOWN_GRACE_SECONDS, ATLASSIAN_AUDIT_LOG,
ATLASSIAN_AUDIT_LOG_MAX_BYTES (rotate to PATH.1 past this size; 0 = never; default 5 MiB).
--auth oauth (the team server) reads TEAM_* and ATLASSIAN_OAUTH_CLIENT_* too: see docs/team-server.md.`;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): BridgeConfig {
  const flags = parseFlags(argv);
  const get = (name: string, flag?: string): string | undefined => {
    const value = (flag !== undefined ? flags.get(flag) : undefined) ?? env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  const transport = (get('TRANSPORT', 'transport') ?? 'stdio').toLowerCase();
  if (transport !== 'stdio' && transport !== 'streamable-http') {
    throw new ConfigError(`Unsupported transport "${transport}": use stdio or streamable-http.`);
  }
  const port = Number(get('PORT', 'port') ?? 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be a port number, not "${get('PORT', 'port')}".`);
  const path = get('STREAMABLE_HTTP_PATH', 'path') ?? '/mcp';
  const maxResponseBytes = Number(get('MAX_RESPONSE_BYTES') ?? DEFAULT_MAX_RESPONSE_BYTES);
  if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 1024)
    throw new ConfigError(
      `MAX_RESPONSE_BYTES must be a number of bytes, at least 1024, not "${get('MAX_RESPONSE_BYTES')}".`,
    );
  const auth = (get('MCP_AUTH', 'auth') ?? 'headers').toLowerCase();
  if (auth !== 'headers' && auth !== 'oauth')
    throw new ConfigError(`Unsupported auth "${auth}": use headers or oauth.`);
  if (auth === 'oauth' && transport !== 'streamable-http')
    throw new ConfigError('--auth oauth needs --transport streamable-http.');

  const service = (prefix: 'JIRA' | 'CONFLUENCE'): ServiceConfig | undefined => {
    const url = get(`${prefix}_URL`);
    if (!url) return undefined;
    try {
      new URL(url);
    } catch {
      throw new ConfigError(`${prefix}_URL is not a URL: "${url}".`);
    }
    return {
      url: url.replace(/\/+$/, ''),
      username: get(`${prefix}_USERNAME`),
      apiToken: get(`${prefix}_API_TOKEN`),
      personalToken: get(`${prefix}_PERSONAL_TOKEN`),
    };
  };

  const accessToken = get('ATLASSIAN_OAUTH_ACCESS_TOKEN');
  const channelUrl = get(CHANNEL_URL_ENV);
  const channelSecret = get(CHANNEL_SECRET_ENV);
  if (channelUrl && !channelSecret)
    throw new ConfigError(`${CHANNEL_URL_ENV} is set but ${CHANNEL_SECRET_ENV} is not.`);

  return {
    transport,
    auth,
    host: get('HOST', 'host') ?? '127.0.0.1',
    port,
    path: path.startsWith('/') ? path : `/${path}`,
    readOnly: flags.has('read-only') || truthy(env.READ_ONLY_MODE),
    enabledTools: optionalSet(get('ENABLED_TOOLS', 'enabled-tools')),
    toolsets: list(get('TOOLSETS', 'toolsets')),
    projectsFilter: list(get('JIRA_PROJECTS_FILTER'))?.map((k) => k.toUpperCase()),
    spacesFilter: list(get('CONFLUENCE_SPACES_FILTER'))?.map((k) => k.toUpperCase()),
    jira: service('JIRA'),
    confluence: service('CONFLUENCE'),
    oauth: accessToken ? { accessToken, cloudIds: list(get('ATLASSIAN_OAUTH_CLOUD_ID')) ?? [] } : undefined,
    apiBaseUrl: (get('ATLASSIAN_API_BASE_URL') ?? 'https://api.atlassian.com').replace(/\/+$/, ''),
    channel: channelUrl && channelSecret ? { url: channelUrl, secret: channelSecret } : undefined,
    channelFile: channelUrl ? undefined : get(CHANNEL_FILE_ENV),
    timeoutMs: Math.max(1, Number(get('JIRA_TIMEOUT') ?? 30)) * 1000,
    maxResponseBytes,
    allowedHosts: list(get('MCP_ALLOWED_HOSTS')) ?? [],
    allowedOrigins: list(get('MCP_ALLOWED_ORIGINS')) ?? [],
    verbose: truthy(env.MCP_VERBOSE),
    attachmentDirs: directories(get('ATLASSIAN_ATTACHMENT_DIRS')),
    shutdownGraceMs: Math.max(0, Number(get('MCP_SHUTDOWN_GRACE_SECONDS') ?? 25) || 0) * 1000,
    audit: auditTarget(get('ATLASSIAN_AUDIT_LOG', 'audit-log'), get('ATLASSIAN_AUDIT_LOG_MAX_BYTES')),
  };
}

function parseFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new ConfigError(`Unexpected argument "${arg}".\n${USAGE}`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (name === 'read-only') {
      flags.set(name, 'true');
      continue;
    }
    if (!['transport', 'host', 'port', 'path', 'toolsets', 'enabled-tools', 'auth', 'audit-log'].includes(name))
      throw new ConfigError(`Unknown option --${name}.\n${USAGE}`);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new ConfigError(`Option --${name} needs a value.`);
    flags.set(name, value);
  }
  return flags;
}

function truthy(value: string | undefined): boolean {
  return /^(1|true|yes|on)$/i.test(value?.trim() ?? '');
}

function list(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items && items.length > 0 ? items : undefined;
}

function optionalSet(value: string | undefined): ReadonlySet<string> | undefined {
  const items = list(value);
  return items ? new Set(items) : undefined;
}

/** Directories separated by the platform's path delimiter (`:`, `;` on Windows); each absolute. */
function directories(value: string | undefined): string[] | undefined {
  const dirs = value
    ?.split(delimiter)
    .map((d) => d.trim())
    .filter(Boolean);
  if (!dirs?.length) return undefined;
  const relativeDir = dirs.find((d) => !isAbsolute(d));
  if (relativeDir)
    throw new ConfigError(`ATLASSIAN_ATTACHMENT_DIRS entries must be absolute paths, not "${relativeDir}".`);
  return dirs;
}

function auditTarget(path: string | undefined, maxBytes: string | undefined): AuditTarget | undefined {
  if (!path) return undefined;
  const max = Number(maxBytes ?? DEFAULT_AUDIT_MAX_BYTES);
  if (!Number.isSafeInteger(max) || max < 0)
    throw new ConfigError(
      `ATLASSIAN_AUDIT_LOG_MAX_BYTES must be a number of bytes (0 = never rotate), not "${maxBytes}".`,
    );
  return { path: path === '-' ? '-' : resolve(path), maxBytes: max };
}

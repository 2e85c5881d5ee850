// The team server's settings (`--auth oauth`), from the environment. Secrets may come from files
// (`…_FILE`, how Kubernetes mounts Secrets) so they stay out of the process environment.
import { readFileSync } from 'node:fs';

export interface TeamConfig {
  /** Public origin people and MCP clients reach, e.g. https://mcp.example.com (the OAuth issuer). */
  readonly publicUrl: string;
  /** The MCP endpoint path on it (the access tokens' audience is publicUrl + mcpPath). */
  readonly mcpPath: string;
  readonly atlassian: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly scopes: readonly string[];
    readonly authBaseUrl: string;
    readonly apiBaseUrl: string;
  };
  /** PostgreSQL connection string (several replicas); SQLite file otherwise (one replica). */
  readonly database:
    { readonly kind: 'postgres'; readonly url: string } | { readonly kind: 'sqlite'; readonly file: string };
  /** Key ring text (see vault/keyRing.ts). */
  readonly vaultKeys: string;
  readonly upstreamConcurrency: number;
  readonly maxQueuedPerPerson: number;
  readonly accessTokenTtlSeconds: number;
}

/** Jira and Confluence work, the account (who signed in), and refresh tokens. */
export const DEFAULT_TEAM_SCOPES: readonly string[] = [
  'read:jira-work',
  'write:jira-work',
  'read:jira-user',
  'read:confluence-content.all',
  'write:confluence-content',
  'read:confluence-space.summary',
  'search:confluence',
  'read:me',
  'offline_access',
];

export class TeamConfigError extends Error {
  override name = 'TeamConfigError';
}

export function parseTeamConfig(env: Readonly<Record<string, string | undefined>>, mcpPath = '/mcp'): TeamConfig {
  const get = (name: string) => env[name]?.trim() || undefined;
  const secret = (name: string) => {
    const file = get(`${name}_FILE`);
    if (file) return readFileSync(file, 'utf8').trim();
    return get(name);
  };
  const required = (name: string, value: string | undefined) => {
    if (!value) throw new TeamConfigError(`${name} is required with --auth oauth.`);
    return value;
  };
  const count = (name: string, fallback: number) => {
    const value = Number(get(name) ?? fallback);
    if (!Number.isInteger(value) || value < 1) throw new TeamConfigError(`${name} must be a positive integer.`);
    return value;
  };

  const publicUrl = required('TEAM_PUBLIC_URL', get('TEAM_PUBLIC_URL'));
  const parsed = new URL(publicUrl);
  if (parsed.pathname !== '/' || parsed.search)
    throw new TeamConfigError('TEAM_PUBLIC_URL must be an origin only, e.g. https://mcp.example.com.');
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !loopback) throw new TeamConfigError('TEAM_PUBLIC_URL must use https.');

  const scopes = (get('ATLASSIAN_OAUTH_SCOPES')?.split(/[\s,]+/) ?? [...DEFAULT_TEAM_SCOPES]).filter(Boolean);
  for (const needed of ['offline_access', 'read:me'])
    if (!scopes.includes(needed)) throw new TeamConfigError(`ATLASSIAN_OAUTH_SCOPES must include ${needed}.`);

  const databaseUrl = secret('TEAM_DATABASE_URL');
  return {
    publicUrl: parsed.origin,
    mcpPath,
    atlassian: {
      clientId: required('ATLASSIAN_OAUTH_CLIENT_ID', get('ATLASSIAN_OAUTH_CLIENT_ID')),
      clientSecret: required('ATLASSIAN_OAUTH_CLIENT_SECRET', secret('ATLASSIAN_OAUTH_CLIENT_SECRET')),
      scopes,
      authBaseUrl: (get('ATLASSIAN_AUTH_BASE_URL') ?? 'https://auth.atlassian.com').replace(/\/+$/, ''),
      apiBaseUrl: (get('ATLASSIAN_API_BASE_URL') ?? 'https://api.atlassian.com').replace(/\/+$/, ''),
    },
    database: databaseUrl
      ? { kind: 'postgres', url: databaseUrl }
      : { kind: 'sqlite', file: get('TEAM_SQLITE_FILE') ?? 'team-vault.db' },
    vaultKeys: required('TEAM_VAULT_KEYS', secret('TEAM_VAULT_KEYS')),
    upstreamConcurrency: count('TEAM_UPSTREAM_CONCURRENCY', 16),
    maxQueuedPerPerson: count('TEAM_MAX_QUEUED_PER_PERSON', 100),
    accessTokenTtlSeconds: count('TEAM_ACCESS_TOKEN_TTL', 600),
  };
}

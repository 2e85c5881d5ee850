// Composition root of the team server's own pieces: store, key ring, vault, authorization server,
// health, metrics and fair share, built from TeamConfig. The HTTP layer mounts `handle` before its MCP
// route, calls `authenticate` on each MCP request (`challenge` when it fails), and gives each
// person's Atlassian client `upstreamFetch(personId)` and `vault.accessToken(personId)`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AtlassianOAuthClient } from '../auth/oauthClient';
import type { Logger } from '../core/logger';
import type { SecretRedactor } from '../core/redact';
import type { AccessClaims } from './auth/accessTokens';
import { TeamAuthorizationServer } from './auth/authorizationServer';
import type { TeamConfig } from './config';
import { FairShareScheduler } from './ops/fairShare';
import { Health } from './ops/health';
import { TeamMetrics } from './ops/metrics';
import { teamUpstreamFetch } from './ops/upstreamFetch';
import { KeyRing } from './vault/keyRing';
import type { VaultStore } from './vault/store';
import { TokenVault } from './vault/tokenVault';

export interface TeamServer {
  readonly vault: TokenVault;
  readonly metrics: TeamMetrics;
  readonly health: Health;
  readonly resource: string;
  /** Serves /healthz, /readyz, /metrics and the OAuth endpoints; false for anything else. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  authenticate(req: IncomingMessage): Promise<AccessClaims | undefined>;
  challenge(req: IncomingMessage, res: ServerResponse): void;
  /** The fetch for this person's Atlassian client: fair share, status metrics, 429 pauses. */
  upstreamFetch(personId: string): typeof fetch;
  /** SIGTERM: /readyz turns 503 so the load balancer stops sending; the caller then drains and closes. */
  drain(): void;
  close(): Promise<void>;
}

export interface TeamServerDeps {
  readonly log: Logger;
  readonly redactor: SecretRedactor;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
  /** Tests only: accept client metadata documents on http://127.0.0.1. */
  readonly allowLoopbackClientMetadata?: boolean;
}

export async function createTeamServer(config: TeamConfig, deps: TeamServerDeps): Promise<TeamServer> {
  const keys = KeyRing.parse(config.vaultKeys);
  const store = await openStore(config, deps.log);
  const metrics = new TeamMetrics(deps.now);
  const { atlassian } = config;
  const endpoints = { authBaseUrl: atlassian.authBaseUrl, apiBaseUrl: atlassian.apiBaseUrl };
  const redirectUri = `${config.publicUrl}/oauth/callback`;
  const refresher = new AtlassianOAuthClient(
    endpoints,
    { clientId: atlassian.clientId, redirectUri, scopes: atlassian.scopes },
    { fetch: deps.fetch, now: deps.now },
  );
  const vault = new TokenVault({
    store,
    keys,
    refresher,
    clientSecret: atlassian.clientSecret,
    log: deps.log,
    redactor: deps.redactor,
    now: deps.now,
    onRefresh: (outcome) => metrics.refresh(outcome),
  });
  const resource = `${config.publicUrl}${config.mcpPath}`;
  const auth = new TeamAuthorizationServer({
    issuer: config.publicUrl,
    resource,
    store,
    vault,
    keys,
    atlassian: {
      endpoints,
      clientId: atlassian.clientId,
      clientSecret: atlassian.clientSecret,
      scopes: atlassian.scopes,
    },
    log: deps.log,
    now: deps.now,
    fetch: deps.fetch,
    allowLoopbackClientMetadata: deps.allowLoopbackClientMetadata,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
  });
  const health = new Health({
    database: () => store.ping(),
    vaultKey: () => void keys.open(keys.seal('probe', 'readyz'), 'readyz'),
  });
  const scheduler = new FairShareScheduler({
    concurrency: config.upstreamConcurrency,
    maxQueuedPerPerson: config.maxQueuedPerPerson,
    now: deps.now,
  });
  // Spent codes, pending sign-ins and lapsed refresh tokens: swept now and then by each replica.
  const sweeper = setInterval(() => {
    store.removeExpiredState((deps.now ?? Date.now)()).catch((err: unknown) => deps.log.warn('Sweep failed: %s', err));
  }, 10 * 60_000);
  sweeper.unref();

  return {
    vault,
    metrics,
    health,
    resource,
    async handle(req, res) {
      if (await health.handle(req, res)) return true;
      if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics') {
        const { contentType, body } = await metrics.exposition();
        res.writeHead(200, { 'Content-Type': contentType });
        res.end(body);
        return true;
      }
      return auth.handle(req, res);
    },
    authenticate: (req) => auth.authenticate(req),
    challenge: (req, res) => auth.challenge(req, res),
    upstreamFetch: (personId) => teamUpstreamFetch(personId, { scheduler, metrics, fetch: deps.fetch }),
    drain: () => health.drain(),
    async close() {
      clearInterval(sweeper);
      await store.close();
    },
  };
}

async function openStore(config: TeamConfig, log: Logger): Promise<VaultStore> {
  if (config.database.kind === 'postgres') {
    const { openPostgresStore } = await import('./vault/postgresStore');
    return openPostgresStore({ connectionString: config.database.url }, (err) =>
      log.warn('PostgreSQL dropped an idle connection: %s', err),
    );
  }
  const { openSqliteStore } = await import('./vault/sqliteStore');
  return openSqliteStore(config.database.file);
}

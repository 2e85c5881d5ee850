// The sandbox: one local HTTP server that behaves like Atlassian Cloud (auth.atlassian.com,
// api.atlassian.com, two *.atlassian.net sites) plus a Jira Data Center server, for tests and the demo.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { SiteRecord } from './context';
import { DEFAULT_USER, extraPeople, USERS } from './data/users';
import { createConfluenceRouter, createConfluenceStore } from './confluence';
import type { ConfluenceStore } from './confluence';
import { Faults, faultRuleSchema } from './faults';
import {
  createApiRouter,
  createAssetsRouter,
  createConfluenceDcHostRouter,
  createDataCenterRouter,
  createSitesRouter,
} from './gateway';
import { createConfluenceDcRouter } from './confluence/datacenter';
import { MediaHost } from './confluence/media';
import type { GatewayOptions } from './gateway';
import { createJiraRouter, createJiraStore } from './jira';
import { formsRouter } from './jira/forms';
import type { JiraStore } from './jira';
import { createOAuthRouter, SANDBOX_CLIENT, TokenStore } from './oauth';
import type { OAuthSettings, TokenResponse } from './oauth';
import { RequestLog, requestLogger } from './request-log';
import type { SandboxUser } from './data/users';

export interface Clock {
  now(): number;
}

/** The sandbox's time source; `advance` moves it forward without sleeping (token expiry, etc.). */
export interface SandboxClock extends Clock {
  advance(ms: number): void;
}

export interface SandboxOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  accessTokenTtlSeconds?: number;
  refreshGraceSeconds?: number;
  authorizationCodeTtlSeconds?: number;
  /** Registered OAuth callback URLs (exact match). */
  redirectUris?: string[];
  /** Base time source (ms); default Date.now. The sandbox adds its own `advance` offset on top. */
  clock?: Clock;
  /**
   * Extra open issues assigned to Ada on acme, in ENG after its seeded 300 (ENG-301 onwards), for
   * load tests: 666 makes her "Assigned to me" 1,000 issues. Deterministic; 0 (default) leaves the
   * seed data exactly as it is.
   */
  extraIssues?: number;
  /** People beyond the five seeded ones who can sign in with OAuth (load tests): data/users.ts extraPeople. */
  extraPeople?: number;
}

export interface SandboxDiscovery {
  authBaseUrl: string;
  apiBaseUrl: string;
  sites: { name: string; url: string; cloudId: string }[];
  oauthClient: { clientId: string; clientSecret: string; redirectUris: string[] };
  users: { accountId: string; email: string; displayName: string; apiToken: string }[];
  dataCenter: { url: string; personalAccessToken: string };
}

export interface SandboxTokens {
  /** Mints an access (and, with offline_access, refresh) token without the browser dance. */
  issue(options?: { user?: SandboxUser; scopes?: readonly string[] }): TokenResponse;
  /** Makes every access token issued so far expired. */
  expireAccessTokens(): void;
  expireAccessToken(accessToken: string): boolean;
  /** Revokes the rotation family the refresh token belongs to. */
  revokeFamily(refreshToken: string): boolean;
  /** Revokes every refresh-token family; `accessTokens: true` also kills every access token. */
  revokeAll(options?: { accessTokens?: boolean }): void;
  /** Successful refresh-token grants so far, per account id. */
  refreshesByAccount(): ReadonlyMap<string, number>;
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  /** What `/.well-known/sandbox.json` serves (reflects runtime settings changes). */
  readonly discovery: SandboxDiscovery;
  /** Every instance: the Cloud sites, then the Data Center server. */
  readonly sites: readonly SiteRecord[];
  readonly faults: Faults;
  readonly log: RequestLog;
  readonly tokens: SandboxTokens;
  readonly clock: SandboxClock;
  /** Live OAuth settings (TTLs, grace, redirect URIs); changes apply to new codes and tokens. */
  readonly settings: OAuthSettings;
  close(): Promise<void>;
}

const CLOUD_SITES = [
  { name: 'acme', displayName: 'Acme Corp', cloudId: '6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7' },
  { name: 'globex', displayName: 'Globex', cloudId: '0b9e8d7c-6a5f-4e3d-9c2b-1a0f9e8d7c6b' },
] as const;
const DATA_CENTER = {
  name: 'dc',
  displayName: 'Sandbox Data Center',
  cloudId: 'dc0c0a1e-5e7e-4d00-8a7a-ce17e5000001',
} as const;
const DATA_CENTER_PAT = 'sandbox-dc-pat-ada';

export const DEFAULT_REDIRECT_URIS: readonly string[] = ['http://127.0.0.1:27418/callback'];

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const clock = offsetClock(options.clock ?? { now: Date.now });
  const settings: OAuthSettings = {
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    refreshGraceSeconds: options.refreshGraceSeconds ?? 600,
    authorizationCodeTtlSeconds: options.authorizationCodeTtlSeconds ?? 60,
    redirectUris: [...(options.redirectUris ?? DEFAULT_REDIRECT_URIS)],
  };
  const cloudSites: SiteRecord[] = CLOUD_SITES.map((site) => ({
    ...site,
    url: `${url}/sites/${site.name}`,
    flavour: 'cloud',
  }));
  const dataCenter: SiteRecord = { ...DATA_CENTER, url: `${url}/dc`, flavour: 'datacenter' };
  const tokens = new TokenStore(SANDBOX_CLIENT, settings, clock.now);
  const faults = new Faults(clock.now);
  const log = new RequestLog();

  const jiraStores = memoBySite<JiraStore>((site) =>
    createJiraStore(site, {
      now: clock.now,
      extraIssues: site.name === CLOUD_SITES[0].name ? options.extraIssues : undefined,
    }),
  );
  const media = new MediaHost(clock.now);
  const confluenceStores = memoBySite<ConfluenceStore>((site) => createConfluenceStore(site, { now: clock.now }));
  const gateway: GatewayOptions = {
    baseUrl: url,
    apiBaseUrl: `${url}/api`,
    cloudSites,
    dataCenter: { site: dataCenter, personalAccessToken: DATA_CENTER_PAT, user: DEFAULT_USER },
    tokens,
    jiraRouter: createJiraRouter(jiraStores),
    confluenceRouter: createConfluenceRouter(confluenceStores, media),
    confluenceDcRouter: createConfluenceDcRouter(confluenceStores),
    formsRouter: formsRouter((ctx) => jiraStores(ctx.site), clock.now),
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLogger(log, clock.now));
  app.use('/__sandbox', createControlRouter(port, { log, faults, tokens, clock, settings }));
  app.use(faults.middleware());
  app.get('/.well-known/sandbox.json', (_req, res) => {
    res.json(describe(url, cloudSites, dataCenter, settings));
  });
  app.use('/auth', createOAuthRouter(tokens, [...USERS, ...extraPeople(options.extraPeople ?? 0)]));
  app.use('/api', createApiRouter(gateway));
  app.use('/sites', createSitesRouter(gateway));
  app.use('/dc', createDataCenterRouter(gateway));
  app.use('/confluence-dc', createConfluenceDcHostRouter(gateway, `${url}/confluence-dc`));
  app.use('/_assets', createAssetsRouter(gateway));
  app.use('/_media', media.router());
  app.use(finalErrorHandler);
  server.on('request', app);

  return {
    url,
    port,
    get discovery() {
      return describe(url, cloudSites, dataCenter, settings);
    },
    sites: [...cloudSites, dataCenter],
    faults,
    log,
    tokens: {
      issue: (issueOptions) => tokens.issue(issueOptions),
      expireAccessTokens: () => tokens.expireAccessTokens(),
      expireAccessToken: (accessToken) => tokens.expireAccessToken(accessToken),
      revokeFamily: (refreshToken) => tokens.revokeFamily(refreshToken),
      revokeAll: (revokeOptions) => tokens.revokeAll(revokeOptions),
      refreshesByAccount: () => tokens.refreshesByAccount,
    },
    clock,
    settings,
    close: () => closeServer(server),
  };
}

function offsetClock(base: Clock): SandboxClock {
  let offset = 0;
  return {
    now: () => base.now() + offset,
    advance: (ms: number) => {
      offset += ms;
    },
  };
}

function memoBySite<T>(create: (site: SiteRecord) => T): (site: SiteRecord) => T {
  const stores = new Map<string, T>();
  return (site) => {
    let store = stores.get(site.name);
    if (store === undefined) {
      store = create(site);
      stores.set(site.name, store);
    }
    return store;
  };
}

function describe(
  url: string,
  cloudSites: readonly SiteRecord[],
  dataCenter: SiteRecord,
  settings: OAuthSettings,
): SandboxDiscovery {
  return {
    authBaseUrl: `${url}/auth`,
    apiBaseUrl: `${url}/api`,
    sites: cloudSites.map(({ name, url: siteUrl, cloudId }) => ({ name, url: siteUrl, cloudId })),
    oauthClient: {
      clientId: SANDBOX_CLIENT.clientId,
      clientSecret: SANDBOX_CLIENT.clientSecret,
      redirectUris: [...settings.redirectUris],
    },
    users: USERS.map(({ accountId, email, displayName, apiToken }) => ({ accountId, email, displayName, apiToken })),
    dataCenter: { url: dataCenter.url, personalAccessToken: DATA_CENTER_PAT },
  };
}

function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** Body-parser failures and anything a router throws, as JSON rather than Express's HTML page. */
function finalErrorHandler(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  const status = (error as { status?: unknown }).status;
  const code = typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
  if (req.path.startsWith('/auth/')) {
    res.status(code).json({
      error: 'invalid_request',
      error_description: code === 500 ? 'Internal error' : 'Malformed request body',
    });
    return;
  }
  res.status(code).json({ code, message: error instanceof Error ? error.message : 'Internal error' });
}

// ---- Test control (for tests in another process, e.g. the extension host) ---------------------

interface ControlDeps {
  log: RequestLog;
  faults: Faults;
  tokens: TokenStore;
  clock: SandboxClock;
  settings: OAuthSettings;
}

const settingsSchema = z
  .object({
    accessTokenTtlSeconds: z.number().int().positive(),
    refreshGraceSeconds: z.number().int().nonnegative(),
    authorizationCodeTtlSeconds: z.number().int().positive(),
    redirectUris: z.array(z.string().url()).min(1),
  })
  .partial()
  .strict();

function createControlRouter(port: number, deps: ControlDeps): express.Router {
  const router = express.Router();
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  // Only callers that address this very server by loopback name (blocks DNS-rebinding pages).
  router.use((req, res, next) => {
    if (!allowedHosts.has(req.get('host') ?? '')) return void res.status(403).json({ error: 'forbidden host' });
    next();
  });
  router.use(express.json());

  router.get('/log', (_req, res) => {
    res.json({ entries: deps.log.entries() });
  });
  router.post('/log/clear', (_req, res) => {
    deps.log.clear();
    res.status(204).end();
  });
  router.get('/faults', (_req, res) => {
    res.json({ faults: deps.faults.list() });
  });
  router.post('/faults', (req, res) => {
    const parsed = faultRuleSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: 'invalid fault rule', issues: parsed.error.issues });
    res.status(201).json({ id: deps.faults.add(parsed.data) });
  });
  router.post('/faults/clear', (_req, res) => {
    deps.faults.clear();
    res.status(204).end();
  });
  router.post('/tokens/expire', (_req, res) => {
    deps.tokens.expireAccessTokens();
    res.status(204).end();
  });
  router.post('/tokens/revoke', (req, res) => {
    const body = (req.body ?? {}) as { accessTokens?: unknown };
    deps.tokens.revokeAll({ accessTokens: body.accessTokens === true });
    res.status(204).end();
  });
  router.post('/settings', (req, res) => {
    const parsed = settingsSchema.safeParse(req.body ?? {});
    if (!parsed.success) return void res.status(400).json({ error: 'invalid settings', issues: parsed.error.issues });
    Object.assign(deps.settings, parsed.data);
    res.json(deps.settings);
  });
  router.post('/clock/advance', (req, res) => {
    const ms = (req.body as { ms?: unknown } | undefined)?.ms;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
      return void res.status(400).json({ error: 'ms must be a non-negative number' });
    deps.clock.advance(ms);
    res.json({ now: deps.clock.now() });
  });
  router.use((_req, res) => {
    res.status(404).json({ error: 'unknown control endpoint' });
  });
  return router;
}

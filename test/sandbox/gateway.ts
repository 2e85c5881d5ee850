// Who is calling which site: OAuth bearer tokens on the api.atlassian.com-like gateway, Basic
// `email:apiToken` on each site URL (like *.atlassian.net, which refuses 3LO tokens), and PAT bearer
// on the Data Center server. Sets the RequestContext the product routers read.
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { setContext } from './context';
import type { AuthKind, SiteRecord } from './context';
import { confluenceV1Error, confluenceV2Error, jiraError } from './errors';
import { USERS } from './data/users';
import type { SandboxUser } from './data/users';
import type { TokenStore } from './oauth';

export interface GatewayOptions {
  readonly baseUrl: string;
  readonly apiBaseUrl: string;
  readonly cloudSites: readonly SiteRecord[];
  readonly dataCenter: { readonly site: SiteRecord; readonly personalAccessToken: string; readonly user: SandboxUser };
  readonly tokens: TokenStore;
  readonly jiraRouter: express.Router;
  readonly confluenceRouter: express.Router;
  /** Confluence Data Center's REST API, mounted under a context path. */
  readonly confluenceDcRouter: express.Router;
  /** Jira Cloud's Forms API, on the gateway for OAuth and API tokens alike. */
  readonly formsRouter?: express.Router;
}

/** Scopes that say who you are, not what a site lets you do; accessible-resources leaves them out. */
const NON_SITE_SCOPES = new Set(['offline_access', 'read:me', 'read:account']);

function bearerToken(req: Request): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
}

function basicCredentials(req: Request): { email: string; secret: string } | undefined {
  const encoded = /^Basic\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { email: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** The API gateway's own 401/404 body (not the product's). */
function gatewayError(res: Response, status: number, message: string): void {
  res.status(status).json({ code: status, message });
}

function gatewayUnauthorized(res: Response): void {
  res.set('WWW-Authenticate', 'Bearer realm="api.atlassian.com"');
  gatewayError(res, 401, 'Unauthorized');
}

function contextFor(
  site: SiteRecord,
  user: SandboxUser,
  authKind: AuthKind,
  scopes: ReadonlySet<string> | null,
  jiraBase: string,
) {
  return { site, user, authKind, scopes, jiraBase, confluenceBase: `${jiraBase}/wiki` };
}

// ---- /api (OAuth bearer) ---------------------------------------------------------------------

export function createApiRouter(options: GatewayOptions): express.Router {
  const router = express.Router();
  const resources = shuffledResources(options);

  const authenticate = (req: Request, res: Response, next: NextFunction): void => {
    const token = bearerToken(req);
    const check = token === undefined ? undefined : options.tokens.checkAccessToken(token);
    if (!check?.ok) return gatewayUnauthorized(res);
    res.locals.oauth = check.record;
    next();
  };
  const grant = (res: Response) => res.locals.oauth as { user: SandboxUser; scopes: ReadonlySet<string> };

  router.get('/oauth/token/accessible-resources', authenticate, (_req, res) => {
    res.json(resources(grant(res).scopes));
  });

  router.get('/me', authenticate, (_req, res) => {
    const { user, scopes } = grant(res);
    if (!scopes.has('read:me')) return gatewayError(res, 401, 'Unauthorized; scope does not match');
    res.json(meProfile(user, options.baseUrl));
  });

  const onSite = (product: 'jira' | 'confluence') => (req: Request, res: Response, next: NextFunction) => {
    const site = options.cloudSites.find((candidate) => candidate.cloudId === req.params.cloudId);
    if (!site) return gatewayError(res, 404, 'Not Found');
    const { user, scopes } = grant(res);
    const jiraBase = `${options.apiBaseUrl}/ex/${product}/${site.cloudId}`;
    setContext(res, contextFor(site, user, 'oauth', scopes, jiraBase));
    next();
  };
  router.use('/ex/jira/:cloudId', authenticate, onSite('jira'), options.jiraRouter);
  router.use('/ex/confluence/:cloudId/wiki', authenticate, onSite('confluence'), options.confluenceRouter);
  if (options.formsRouter) router.use('/jira/forms/cloud/:cloudId', formsCaller(options), options.formsRouter);
  router.use((_req, res) => gatewayError(res, 404, 'Not Found'));
  return router;
}

/** The Forms API takes a 3LO bearer token or an API token (Basic email:token) on the gateway. */
function formsCaller(options: GatewayOptions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const site = options.cloudSites.find((candidate) => candidate.cloudId === req.params.cloudId);
    if (!site) return gatewayError(res, 404, 'Not Found');
    const jiraBase = `${options.apiBaseUrl}/ex/jira/${site.cloudId}`;
    const basic = basicCredentials(req);
    if (basic) {
      const user = USERS.find((u) => u.email === basic.email && u.apiToken === basic.secret);
      if (!user) return gatewayUnauthorized(res);
      setContext(res, contextFor(site, user, 'basic', null, jiraBase));
      return next();
    }
    const token = bearerToken(req);
    const check = token === undefined ? undefined : options.tokens.checkAccessToken(token);
    if (!check?.ok) return gatewayUnauthorized(res);
    res.locals.oauth = check.record;
    setContext(res, contextFor(site, check.record.user, 'oauth', check.record.scopes, jiraBase));
    next();
  };
}

/** accessible-resources in no fixed order: every call differs from the previous one's order. */
function shuffledResources(options: GatewayOptions) {
  let previous = '';
  return (scopes: ReadonlySet<string>) => {
    const siteScopes = [...scopes].filter((scope) => !NON_SITE_SCOPES.has(scope));
    let order = [...options.cloudSites];
    do order = shuffle(order);
    while (order.length > 1 && order.map((site) => site.cloudId).join() === previous);
    previous = order.map((site) => site.cloudId).join();
    return order.map((site) => ({
      id: site.cloudId,
      name: site.displayName,
      url: site.url,
      scopes: siteScopes,
      avatarUrl: `${options.baseUrl}/_assets/avatars/site/${site.name}.svg`,
    }));
  };
}

function shuffle<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** The flat identity shape of `GET https://api.atlassian.com/me`. */
function meProfile(user: SandboxUser, baseUrl: string) {
  return {
    account_type: 'atlassian',
    account_id: user.accountId,
    email: user.email,
    email_verified: true,
    name: user.displayName,
    picture: userAvatarUrl(baseUrl, user),
    account_status: 'active',
    nickname: user.displayName.split(' ')[0],
    zoneinfo: user.timeZone,
    locale: 'en-US',
    extended_profile: {
      job_title: 'Engineer',
      organization: 'Sandbox',
      department: 'Engineering',
      location: user.timeZone,
    },
  };
}

export function userAvatarUrl(baseUrl: string, user: SandboxUser): string {
  return `${baseUrl}/_assets/avatars/user/${encodeURIComponent(user.accountId)}.svg`;
}

// ---- /sites/{name} (Basic email:apiToken) ----------------------------------------------------

export function createSitesRouter(options: GatewayOptions): express.Router {
  const router = express.Router();
  router.use(
    '/:name',
    (req, res, next) => {
      const site = options.cloudSites.find((candidate) => candidate.name === req.params.name);
      if (!site) return void res.status(404).type('text/plain').send('Site not found');
      res.locals.site = site;
      next();
    },
    siteRouter(options),
  );
  return router;
}

function siteRouter(options: GatewayOptions): express.Router {
  const router = express.Router();
  const site = (res: Response) => res.locals.site as SiteRecord;

  router.get('/_edge/tenant_info', (_req, res) => {
    res.json({ cloudId: site(res).cloudId });
  });
  router.get('/browse/:key', (req, res) => browsePage(res, site(res), String(req.params.key)));

  router.use((req, res, next) => {
    const credentials = basicCredentials(req);
    const user =
      credentials &&
      USERS.find((candidate) => candidate.email === credentials.email && candidate.apiToken === credentials.secret);
    if (!user) return siteUnauthorized(req, res, options.baseUrl);
    setContext(res, contextFor(site(res), user, 'basic', null, site(res).url));
    next();
  });
  router.use('/wiki', options.confluenceRouter);
  router.use(options.jiraRouter);
  return router;
}

/** What an unauthenticated (or 3LO-bearer) call to *.atlassian.net gets, per product. */
function siteUnauthorized(req: Request, res: Response, baseUrl: string): void {
  if (req.path.startsWith('/wiki/api/v2/')) return confluenceV2Error(res, 401, 'Unauthorized');
  if (req.path.startsWith('/wiki/')) return confluenceV1Error(res, 401, 'This request requires authentication.');
  res
    .status(401)
    .set('WWW-Authenticate', `OAuth realm="${encodeURIComponent(baseUrl)}"`)
    .type('text/plain;charset=UTF-8')
    .send('Client must be authenticated to access this resource.');
}

// ---- /dc (Data Center, PAT bearer) -----------------------------------------------------------

export function createDataCenterRouter(options: GatewayOptions): express.Router {
  const router = express.Router();
  const { site, personalAccessToken, user } = options.dataCenter;
  router.get('/browse/:key', (req, res) => browsePage(res, site, String(req.params.key)));
  // Jira Data Center describes itself to anonymous callers (no serverTime or health checks then).
  router.get('/rest/api/2/serverInfo', (req, res, next) => {
    if (req.get('authorization')) return next();
    res.json(anonymousDataCenterInfo(site.url));
  });
  router.use((req, res, next) => {
    // PATs are only ever accepted as Bearer, never as a Basic password.
    if (bearerToken(req) !== personalAccessToken) {
      res.set('WWW-Authenticate', 'Bearer realm="sandbox-datacenter"');
      return jiraError(res, 401, ['You are not authenticated. Authentication required to perform this operation.']);
    }
    setContext(res, contextFor(site, user, 'pat', null, site.url));
    next();
  });
  // Confluence DC under the Jira host's /wiki context path.
  router.use('/wiki', options.confluenceDcRouter);
  router.use(options.jiraRouter);
  return router;
}

function anonymousDataCenterInfo(baseUrl: string) {
  return {
    baseUrl,
    version: '9.12.15',
    versionNumbers: [9, 12, 15],
    deploymentType: 'DataCenter',
    buildNumber: 9120015,
    buildDate: '2024-10-29T00:00:00.000+0000',
    scmInfo: '0f1a1ddc0a2c4f3b9c1e6a0e3d1b2c3d4e5f6a7b',
    serverTitle: 'Jira',
  };
}

/** Confluence Data Center on a host of its own (mounted at `root`, context path `/confluence`). */
export function createConfluenceDcHostRouter(options: GatewayOptions, root: string): express.Router {
  const router = express.Router();
  const { site, personalAccessToken, user } = options.dataCenter;
  router.use((req, res, next) => {
    if (bearerToken(req) !== personalAccessToken) return confluenceV1Error(res, 401, 'Authentication required');
    setContext(res, { ...contextFor(site, user, 'pat', null, root), confluenceBase: `${root}/confluence` });
    next();
  });
  router.use('/confluence', options.confluenceDcRouter);
  return router;
}

// ---- Pages and assets ------------------------------------------------------------------------

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Where a browser lands when a user opens an issue link; enough to show the link worked. */
function browsePage(res: Response, site: SiteRecord, key: string): void {
  res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>[${escapeHtml(key)}] ${escapeHtml(site.displayName)}</title>
<style>body{font:15px/1.5 -apple-system,"Segoe UI",Roboto,sans-serif;color:#172b4d;margin:48px auto;max-width:640px}
small{color:#626f86}</style></head>
<body><small>${escapeHtml(site.displayName)} · Sandbox</small><h1 data-issue-key="${escapeHtml(key)}">${escapeHtml(key)}</h1>
<p>This is the sandbox's stand-in for the issue page on ${escapeHtml(site.url)}.</p></body></html>`);
}

const PALETTE = ['#0052cc', '#00875a', '#6554c0', '#de350b', '#ff8b00', '#00a3bf'];

function initials(text: string): string {
  return text
    .split(/\s+/)
    .map((word) => word[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

function avatarSvg(label: string, seed: number, round: boolean): string {
  const color = PALETTE[seed % PALETTE.length];
  const shape = round ? '<circle cx="24" cy="24" r="24"' : '<rect width="48" height="48" rx="8"';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">${shape} fill="${color}"/><text x="24" y="30" font-family="Arial,sans-serif" font-size="18" font-weight="bold" fill="#fff" text-anchor="middle">${escapeHtml(initials(label))}</text></svg>`;
}

/** Local avatars, so nothing (tests, the demo, screenshots) ever reaches the network. */
export function createAssetsRouter(options: GatewayOptions): express.Router {
  const router = express.Router();
  router.get('/avatars/:kind/:file', (req, res) => {
    const id = String(req.params.file).replace(/\.svg$/, '');
    const label =
      req.params.kind === 'site'
        ? options.cloudSites.find((site) => site.name === id)?.displayName
        : USERS.find((user) => user.accountId === id)?.displayName;
    if (!label) return void res.status(404).end();
    const seed = [...id].reduce((sum, c) => sum + c.charCodeAt(0), 0);
    res
      .type('image/svg+xml')
      .set('Cache-Control', 'max-age=86400')
      .send(avatarSvg(label, seed, req.params.kind === 'user'));
  });
  return router;
}

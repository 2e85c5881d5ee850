// OAuth 2.0 (3LO) as auth.atlassian.com behaves: authorize + consent page, one-time codes, a
// mandatory client secret, and rotating refresh tokens with a reuse leeway that revokes the family.
import { createHash, randomBytes } from 'node:crypto';
import express from 'express';
import type { Request, Response } from 'express';
import { oauthError } from './errors';
import { DEFAULT_USER, USERS } from './data/users';
import type { SandboxUser } from './data/users';

export interface OAuthSettings {
  accessTokenTtlSeconds: number;
  /** How long a rotated-out refresh token keeps working (Atlassian's leeway: 10 minutes). */
  refreshGraceSeconds: number;
  authorizationCodeTtlSeconds: number;
  /** Registered callback URLs; a redirect_uri must equal one of them exactly. */
  redirectUris: string[];
}

export interface OAuthClientApp {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly name: string;
}

export const SANDBOX_CLIENT: OAuthClientApp = {
  clientId: 'sandbox-mcp-bridge-client-id',
  clientSecret: 'sandbox-mcp-bridge-client-secret',
  name: 'Atlassian MCP Bridge',
};

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
  token_type: 'Bearer';
}

export interface AccessTokenRecord {
  readonly user: SandboxUser;
  readonly scopes: ReadonlySet<string>;
  readonly clientId: string;
  expiresAt: number;
  revoked: boolean;
}

export type AccessTokenCheck =
  | { readonly ok: true; readonly record: AccessTokenRecord }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' | 'revoked' };

const AUDIENCE = 'api.atlassian.com';
const DAY_MS = 24 * 3600 * 1000;
/** Atlassian: refresh tokens expire after 90 days idle and 365 days after consent. */
const REFRESH_IDLE_MS = 90 * DAY_MS;
const REFRESH_ABSOLUTE_MS = 365 * DAY_MS;
/** How long the consent page stays valid before its form is refused. */
const CONSENT_TTL_MS = 10 * 60 * 1000;
const INVALID_REFRESH = 'Unknown or invalid refresh token.';

/** What a user can see on the consent screen; unknown scopes are rejected at /authorize. */
const SCOPE_DESCRIPTIONS: Record<string, string> = {
  'read:jira-work': 'View Jira issue data',
  'write:jira-work': 'Create and manage issues',
  'read:jira-user': 'View user profiles',
  'manage:jira-project': 'Manage project settings',
  'manage:jira-configuration': 'Manage Jira global settings',
  'manage:jira-webhook': 'Manage development and release information',
  'read:confluence-content.all': 'Read Confluence detailed content',
  'read:confluence-content.summary': 'Read Confluence content summary',
  'write:confluence-content': 'Create pages, blogs, comments and questions',
  'read:confluence-space.summary': 'Read Confluence space summary',
  'write:confluence-space': 'Create, update and delete space information',
  'read:confluence-props': 'Read content properties',
  'write:confluence-props': 'Write content properties',
  'read:confluence-user': 'View user information',
  'read:confluence-groups': 'View user groups',
  'search:confluence': 'Search Confluence content and space summaries',
  'read:me': 'View your profile',
  'read:account': 'View your account',
  offline_access: 'Stay connected (refresh tokens)',
};

const GRANULAR_SCOPES = [
  // Jira platform
  'read:issue:jira',
  'write:issue:jira',
  'delete:issue:jira',
  'read:issue-details:jira',
  'read:issue-meta:jira',
  'read:jql:jira',
  'read:project:jira',
  'read:project.component:jira',
  'read:project-version:jira',
  'read:user:jira',
  'read:group:jira',
  'read:comment:jira',
  'write:comment:jira',
  'delete:comment:jira',
  'read:issue-worklog:jira',
  'write:issue-worklog:jira',
  'read:issue-link:jira',
  'write:issue-link:jira',
  'delete:issue-link:jira',
  'read:issue.watcher:jira',
  'write:issue.watcher:jira',
  'read:issue-link-type:jira',
  'read:issue-type:jira',
  'read:field:jira',
  'read:field-configuration:jira',
  'read:status:jira',
  'read:issue-status:jira',
  'read:workflow:jira',
  'read:priority:jira',
  'read:resolution:jira',
  'read:label:jira',
  'read:avatar:jira',
  'read:filter:jira',
  'read:issue.transition:jira',
  'write:issue.transition:jira',
  'read:issue.changelog:jira',
  'read:application-role:jira',
  // Jira Software (Agile)
  'read:board-scope:jira-software',
  'write:board-scope:jira-software',
  'read:board-scope.admin:jira-software',
  'read:sprint:jira-software',
  'write:sprint:jira-software',
  'delete:sprint:jira-software',
  'read:issue:jira-software',
  'write:issue:jira-software',
  'read:epic:jira-software',
  'write:epic:jira-software',
  // Confluence
  'read:page:confluence',
  'write:page:confluence',
  'delete:page:confluence',
  'read:space:confluence',
  'write:space:confluence',
  'read:space-details:confluence',
  'read:comment:confluence',
  'write:comment:confluence',
  'delete:comment:confluence',
  'read:content:confluence',
  'write:content:confluence',
  'read:content-details:confluence',
  'read:content.metadata:confluence',
  'read:hierarchical-content:confluence',
  'read:attachment:confluence',
  'write:attachment:confluence',
  'read:label:confluence',
  'write:label:confluence',
  'read:user:confluence',
  'read:group:confluence',
  'read:blogpost:confluence',
  'write:blogpost:confluence',
  'read:custom-content:confluence',
  'read:folder:confluence',
  'write:folder:confluence',
  'read:whiteboard:confluence',
  'read:database:confluence',
  'read:task:confluence',
  'write:task:confluence',
  'read:configuration:confluence',
  'readonly:content.attachment:confluence',
];

/** Every scope the sandbox app has "added in the developer console". */
export const KNOWN_SCOPES: ReadonlySet<string> = new Set([
  ...Object.keys(SCOPE_DESCRIPTIONS),
  'manage:jira-data-provider',
  'read:confluence-content.permission',
  'write:confluence-file',
  'write:confluence-groups',
  'manage:confluence-configuration',
  // Jira Service Management's classic scopes.
  'read:servicedesk-request',
  'write:servicedesk-request',
  ...GRANULAR_SCOPES,
]);

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain';
  expiresAt: number;
}

interface CodeRecord extends Omit<AuthorizeRequest, 'state'> {
  user: SandboxUser;
  used: boolean;
}

interface RefreshFamily {
  readonly user: SandboxUser;
  readonly scopes: string[];
  readonly clientId: string;
  readonly createdAt: number;
  lastUsedAt: number;
  revoked: boolean;
}

interface RefreshRecord {
  readonly family: RefreshFamily;
  /** When a newer token replaced this one; null while it is the family's newest. */
  rotatedAt: number | null;
}

export type TokenResult =
  | { readonly status: 200; readonly body: TokenResponse }
  | { readonly status: number; readonly error: string; readonly description: string };

function opaque(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

function fail(status: number, error: string, description: string): TokenResult {
  return { status, error, description };
}

/** Holds every code and token; also the test controls (force expiry, revoke). */
export class TokenStore {
  private readonly consents = new Map<string, AuthorizeRequest>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();

  constructor(
    readonly client: OAuthClientApp,
    readonly settings: OAuthSettings,
    private readonly now: () => number,
  ) {}

  beginConsent(request: Omit<AuthorizeRequest, 'expiresAt'>): string {
    const id = opaque('sbx_consent_');
    this.consents.set(id, { ...request, expiresAt: this.now() + CONSENT_TTL_MS });
    return id;
  }

  /** Takes a pending consent (one use); undefined when unknown or stale. */
  takeConsent(id: string): AuthorizeRequest | undefined {
    const request = this.consents.get(id);
    this.consents.delete(id);
    return request && request.expiresAt > this.now() ? request : undefined;
  }

  createCode(request: AuthorizeRequest, user: SandboxUser): string {
    const code = opaque('sbx_code_');
    const expiresAt = this.now() + this.settings.authorizationCodeTtlSeconds * 1000;
    this.codes.set(code, { ...request, expiresAt, user, used: false });
    return code;
  }

  exchangeCode(body: Record<string, unknown>): TokenResult {
    const record = typeof body.code === 'string' ? this.codes.get(body.code) : undefined;
    const invalidCode = fail(403, 'invalid_grant', 'Invalid authorization code');
    if (!record || record.used || record.clientId !== body.client_id) return invalidCode;
    record.used = true; // a code is spent by its first presentation, successful or not
    if (this.now() >= record.expiresAt) return invalidCode;
    if (body.redirect_uri !== record.redirectUri) {
      return fail(403, 'invalid_grant', 'redirect_uri does not match the one used in the authorization request');
    }
    if (record.codeChallenge !== null && !verifierMatches(record, body.code_verifier)) {
      return fail(403, 'invalid_grant', 'Failed to verify code verifier');
    }
    return { status: 200, body: this.grant(record.user, record.scopes, record.clientId) };
  }

  /** Successful refreshes per account id (load tests check one per person per expiry). */
  readonly refreshesByAccount = new Map<string, number>();

  refresh(body: Record<string, unknown>): TokenResult {
    const token = typeof body.refresh_token === 'string' ? body.refresh_token : '';
    const record = this.refreshTokens.get(token);
    const invalid = fail(403, 'invalid_grant', INVALID_REFRESH);
    if (!record || record.family.revoked || record.family.clientId !== body.client_id) return invalid;
    const { family } = record;
    const now = this.now();
    if (now - family.lastUsedAt > REFRESH_IDLE_MS || now - family.createdAt > REFRESH_ABSOLUTE_MS) return invalid;
    if (record.rotatedAt !== null && now - record.rotatedAt > this.settings.refreshGraceSeconds * 1000) {
      family.revoked = true; // reuse outside the leeway: the whole grant is presumed stolen
      return invalid;
    }
    this.retireNewest(family);
    family.lastUsedAt = now;
    this.refreshesByAccount.set(family.user.accountId, (this.refreshesByAccount.get(family.user.accountId) ?? 0) + 1);
    const access = this.mintAccessToken(family.user, family.scopes, family.clientId);
    return { status: 200, body: { ...access, refresh_token: this.mintRefreshToken(family) } };
  }

  checkAccessToken(token: string): AccessTokenCheck {
    const record = this.accessTokens.get(token);
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.revoked) return { ok: false, reason: 'revoked' };
    if (this.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }

  /** Mints tokens directly, skipping the browser (for tests that are not about signing in). */
  issue(options: { user?: SandboxUser; scopes?: readonly string[] } = {}): TokenResponse {
    const scopes = [...(options.scopes ?? [...KNOWN_SCOPES])];
    return this.grant(options.user ?? DEFAULT_USER, scopes, this.client.clientId);
  }

  expireAccessTokens(): void {
    for (const record of this.accessTokens.values()) record.expiresAt = Math.min(record.expiresAt, this.now());
  }

  expireAccessToken(token: string): boolean {
    const record = this.accessTokens.get(token);
    if (record) record.expiresAt = Math.min(record.expiresAt, this.now());
    return record !== undefined;
  }

  /** Revokes the family a refresh token belongs to (all its tokens, old and new). */
  revokeFamily(refreshToken: string): boolean {
    const record = this.refreshTokens.get(refreshToken);
    if (record) record.family.revoked = true;
    return record !== undefined;
  }

  /** Revokes every refresh family; with accessTokens, every access token too (app access removed). */
  revokeAll(options: { accessTokens?: boolean } = {}): void {
    for (const record of this.refreshTokens.values()) record.family.revoked = true;
    if (options.accessTokens) for (const record of this.accessTokens.values()) record.revoked = true;
  }

  private grant(user: SandboxUser, scopes: string[], clientId: string): TokenResponse {
    const access = this.mintAccessToken(user, scopes, clientId);
    if (!scopes.includes('offline_access')) return access;
    const now = this.now();
    const family: RefreshFamily = { user, scopes, clientId, createdAt: now, lastUsedAt: now, revoked: false };
    return { ...access, refresh_token: this.mintRefreshToken(family) };
  }

  private mintAccessToken(user: SandboxUser, scopes: string[], clientId: string): TokenResponse {
    const token = opaque('sbx_at_');
    const ttl = this.settings.accessTokenTtlSeconds;
    this.accessTokens.set(token, {
      user,
      scopes: new Set(scopes),
      clientId,
      expiresAt: this.now() + ttl * 1000,
      revoked: false,
    });
    return { access_token: token, expires_in: ttl, scope: scopes.join(' '), token_type: 'Bearer' };
  }

  private mintRefreshToken(family: RefreshFamily): string {
    const token = opaque('sbx_rt_');
    this.refreshTokens.set(token, { family, rotatedAt: null });
    return token;
  }

  /** Starts the leeway clock of the family's current newest token. */
  private retireNewest(family: RefreshFamily): void {
    for (const record of this.refreshTokens.values()) {
      if (record.family === family && record.rotatedAt === null) record.rotatedAt = this.now();
    }
  }
}

function verifierMatches(record: CodeRecord, verifier: unknown): boolean {
  if (typeof verifier !== 'string' || verifier.length === 0) return false;
  const derived =
    record.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return derived === record.codeChallenge;
}

// ---- HTTP ------------------------------------------------------------------------------------

/** Routes for the authorization server, mounted at `/auth`. */
export function createOAuthRouter(store: TokenStore, people: readonly SandboxUser[] = USERS): express.Router {
  const router = express.Router();
  router.get('/authorize', (req, res) => authorize(store, req, res, people));
  router.post('/authorize', express.urlencoded({ extended: false }), (req, res) => consent(store, req, res, people));
  router.post(
    '/oauth/token',
    express.json({ type: ['application/json', 'application/*+json'] }),
    express.urlencoded({ extended: false }),
    (req, res) => token(store, req, res),
  );
  return router;
}

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' ? value : undefined;
}

function authorize(store: TokenStore, req: Request, res: Response, people: readonly SandboxUser[]): void {
  const clientId = queryString(req, 'client_id');
  const redirectUri = queryString(req, 'redirect_uri');
  if (clientId !== store.client.clientId) {
    return errorPage(
      res,
      'unauthorized_client',
      `Invalid client_id: ${clientId ?? '(missing)'}`,
      'The app could not be identified.',
    );
  }
  if (redirectUri === undefined || !store.settings.redirectUris.includes(redirectUri)) {
    return errorPage(
      res,
      'unauthorized_client',
      `redirect_uri is not registered for client: ${clientId}`,
      "The app's callback URL is invalid.",
    );
  }
  // Past this point the redirect is trusted, so errors go back to the app (RFC 6749 §4.1.2.1).
  const state = queryString(req, 'state');
  const back = (error: string, description: string) =>
    redirectWith(res, redirectUri, { error, error_description: description, state });
  if (queryString(req, 'response_type') !== 'code')
    return back('unsupported_response_type', 'response_type must be code');
  if (queryString(req, 'audience') !== AUDIENCE) return back('invalid_request', `audience must be ${AUDIENCE}`);
  if (!state) return back('invalid_request', 'state is required');
  const scopes = (queryString(req, 'scope') ?? '').split(/[\s+]+/).filter(Boolean);
  if (scopes.length === 0) return back('invalid_scope', 'scope is required');
  const unknown = scopes.filter((scope) => !KNOWN_SCOPES.has(scope));
  if (unknown.length > 0) return back('invalid_scope', `Unknown or unauthorized scope: ${unknown.join(' ')}`);
  const codeChallenge = queryString(req, 'code_challenge') ?? null;
  const method = queryString(req, 'code_challenge_method') ?? 'plain';
  if (method !== 'S256' && method !== 'plain')
    return back('invalid_request', 'code_challenge_method must be S256 or plain');
  const id = store.beginConsent({
    clientId,
    redirectUri,
    scopes: [...new Set(scopes)],
    state,
    codeChallenge,
    codeChallengeMethod: method,
  });
  res.type('html').send(consentPage(store.client, id, scopes, redirectUri, people));
}

function consent(store: TokenStore, req: Request, res: Response, people: readonly SandboxUser[]): void {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const request = typeof body.consent === 'string' ? store.takeConsent(body.consent) : undefined;
  if (!request)
    return errorPage(
      res,
      'invalid_request',
      'This authorization request is unknown or has expired.',
      'Start again from the app.',
    );
  if (body.decision !== 'accept') {
    return redirectWith(res, request.redirectUri, {
      error: 'access_denied',
      error_description: 'User did not authorize the request',
      state: request.state,
    });
  }
  const user = people.find((candidate) => candidate.accountId === body.account_id) ?? DEFAULT_USER;
  redirectWith(res, request.redirectUri, { code: store.createCode(request, user), state: request.state });
}

function token(store: TokenStore, req: Request, res: Response): void {
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
  const grantType = body.grant_type;
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    return oauthError(res, 400, 'unsupported_grant_type', `Unsupported grant type: ${String(grantType ?? '')}`);
  }
  // Atlassian requires the secret even when PKCE was used (client_secret_post only).
  if (body.client_id !== store.client.clientId || body.client_secret !== store.client.clientSecret) {
    return oauthError(res, 401, 'access_denied', 'Unauthorized');
  }
  const result = grantType === 'authorization_code' ? store.exchangeCode(body) : store.refresh(body);
  if ('error' in result) return oauthError(res, result.status, result.error, result.description);
  res.set('Cache-Control', 'no-store').json(result.body);
}

function redirectWith(res: Response, base: string, params: Record<string, string | undefined>): void {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  // URLSearchParams writes spaces as '+'; Atlassian's callbacks use %20.
  res.redirect(302, url.toString().replace(/\+/g, '%20'));
}

// ---- Pages -----------------------------------------------------------------------------------

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PAGE_STYLE = `
  *{box-sizing:border-box}
  body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
    background:#f4f5f7;color:#172b4d;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
  main{width:440px;max-width:calc(100vw - 32px);background:#fff;border-radius:8px;padding:32px 36px;
    box-shadow:0 1px 2px rgba(9,30,66,.25),0 4px 16px rgba(9,30,66,.08)}
  .brand{display:flex;align-items:center;gap:8px;font-weight:600;color:#0052cc;margin-bottom:20px}
  .brand svg{flex:none}
  h1{font-size:20px;margin:0 0 6px}
  p{margin:0 0 14px;color:#44546f}
  .sandbox{display:inline-block;font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:.04em;
    color:#974f0c;background:#fff7d6;border-radius:3px;padding:1px 6px;margin-left:6px}
  ul{list-style:none;margin:0 0 18px;padding:0;border:1px solid #dfe1e6;border-radius:6px;max-height:320px;overflow:auto}
  li{padding:8px 12px;border-top:1px solid #ebecf0}
  li:first-child{border-top:none}
  li strong{display:block;font-weight:500}
  li code{font-size:12px;color:#626f86}
  label{display:block;font-weight:600;margin-bottom:6px}
  select{width:100%;padding:8px;border:2px solid #dfe1e6;border-radius:4px;font:inherit;margin-bottom:18px;background:#fafbfc}
  .actions{display:flex;flex-direction:row-reverse;gap:8px}
  button{font:inherit;font-weight:500;border:0;border-radius:4px;padding:8px 16px;cursor:pointer}
  button.primary{background:#0052cc;color:#fff}
  button.primary:hover{background:#0065ff}
  button.secondary{background:#f1f2f4;color:#172b4d}
  button.secondary:hover{background:#dcdfe4}
  .error{color:#ae2a19;font-weight:600}
  .redirect{font-size:12px;color:#626f86;word-break:break-all;margin-top:18px}
`;

const LOGO =
  '<svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true"><path fill="#0052cc" d="M7.1 11.2c-.3-.4-.8-.3-1 .1L1.6 20.4c-.2.4.1.9.5.9h6.3c.2 0 .4-.1.5-.3 1.4-2.8.5-7.1-1.8-9.8zM10.4 2.9c-2.4 3.8-2.3 8-.7 11.1l3 6c.1.2.3.3.5.3h6.3c.4 0 .7-.5.5-.9L11.4 2.9c-.2-.4-.7-.4-1 0z"/></svg>';

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head>
<body><main><div class="brand">${LOGO}<span>Atlassian</span><span class="sandbox">Sandbox</span></div>
${content}</main></body></html>`;
}

function consentPage(
  client: OAuthClientApp,
  consentId: string,
  scopes: readonly string[],
  redirectUri: string,
  people: readonly SandboxUser[],
): string {
  const scopeItems = scopes
    .map(
      (scope) =>
        `<li><strong>${escapeHtml(SCOPE_DESCRIPTIONS[scope] ?? scope)}</strong><code>${escapeHtml(scope)}</code></li>`,
    )
    .join('');
  const userOptions = people
    .map(
      (user) =>
        `<option value="${escapeHtml(user.accountId)}"${user === DEFAULT_USER ? ' selected' : ''}>${escapeHtml(user.displayName)} (${escapeHtml(user.email)})</option>`,
    )
    .join('');
  return page(
    `Authorize ${client.name}`,
    `<h1>${escapeHtml(client.name)} is requesting access to your Atlassian account</h1>
<p>It will be able to use every site you have access to. It wants to:</p>
<ul>${scopeItems}</ul>
<form method="post" action="authorize">
<input type="hidden" name="consent" value="${escapeHtml(consentId)}">
<label for="account_id">Signed in as</label>
<select id="account_id" name="account_id">${userOptions}</select>
<div class="actions">
<button type="submit" class="primary" name="decision" value="accept">Accept</button>
<button type="submit" class="secondary" name="decision" value="deny">Deny</button>
</div>
</form>
<p class="redirect">You will be returned to ${escapeHtml(redirectUri)}</p>`,
  );
}

function errorPage(
  res: Response,
  code: string,
  detail: string,
  explanation = 'The request could not be verified.',
): void {
  res
    .status(400)
    .type('html')
    .send(
      page(
        'Something went wrong',
        `<h1>Something went wrong</h1>
<p>${escapeHtml(explanation)} You were not redirected back to the app.</p>
<p class="error">${escapeHtml(code)}</p><p>${escapeHtml(detail)}</p>`,
      ),
    );
}

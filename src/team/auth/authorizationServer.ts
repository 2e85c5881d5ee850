// The team server as an OAuth-protected resource and as the authorization server MCP clients talk to
// (MCP authorization: RFC 9728 resource metadata, RFC 8414 server metadata, PKCE S256, DCR and client
// ID metadata documents, audience-bound access tokens, rotated refresh tokens). Behind it the person
// signs in to Atlassian through the team's 3LO app; nothing MCP-specific (`resource`) goes there.
// A node:http handler: the HTTP layer calls `handle` first and `authenticate` on MCP requests.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AtlassianOAuthClient, type OAuthEndpoints } from '../../auth/oauthClient';
import type { Logger } from '../../core/logger';
import type { KeyRing } from '../vault/keyRing';
import type { VaultStore } from '../vault/store';
import type { TokenVault } from '../vault/tokenVault';
import { AccessTokenIssuer, type AccessClaims } from './accessTokens';
import { ClientDirectory, redirectUriAllowed, type RegisteredClient } from './clients';
import { HttpError, readJson, readParams, redirect, sendHtml, sendJson, withParams } from './httpUtil';
import { SealedState, opaque, secretHash } from './sealedState';
import { consentPage, errorPage } from './pages';
import { serverMetadata, protectedResourceMetadata, SUPPORTED_SCOPES } from './metadata';

export interface AuthorizationServerOptions {
  /** Public origin of the team server, e.g. https://mcp.example.com. */
  readonly issuer: string;
  /** The MCP endpoint, e.g. https://mcp.example.com/mcp: the audience of every access token. */
  readonly resource: string;
  readonly store: VaultStore;
  readonly vault: TokenVault;
  readonly keys: KeyRing;
  readonly atlassian: {
    readonly endpoints: OAuthEndpoints;
    readonly clientId: string;
    readonly clientSecret: string;
    /** Must include offline_access (refresh tokens) and read:me (who signed in). */
    readonly scopes: readonly string[];
  };
  readonly log: Logger;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
  /** Accept http://127.0.0.1 client metadata documents (tests only). */
  readonly allowLoopbackClientMetadata?: boolean;
  readonly accessTokenTtlSeconds?: number;
  readonly refreshTokenTtlSeconds?: number;
}

/** Pending sign-in between our /authorize and Atlassian's callback (sealed: it holds a PKCE verifier). */
interface PendingAuthorization {
  readonly clientId: string;
  readonly clientName: string | undefined;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly state: string | undefined;
  readonly scope: string;
  readonly atlassianVerifier: string;
}

/** What a code or refresh token stands for. */
interface Grant {
  readonly personId: string;
  readonly clientId: string;
  readonly scope: string;
  readonly sites: readonly string[];
}
interface CodeGrant extends Grant {
  readonly redirectUri: string;
  readonly codeChallenge: string;
}
interface RefreshGrant extends Grant {
  readonly family: string;
}

const PENDING_TTL_MS = 10 * 60_000;
const CODE_TTL_MS = 60_000;
const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export class TeamAuthorizationServer {
  private readonly now: () => number;
  private readonly atlassian: AtlassianOAuthClient;
  private readonly clients: ClientDirectory;
  private readonly tokens: AccessTokenIssuer;
  private readonly accessTtl: number;
  private readonly refreshTtlMs: number;
  private readonly resourceMetadataUrl: string;
  private readonly sealed: SealedState;

  constructor(private readonly options: AuthorizationServerOptions) {
    const issuer = new URL(options.issuer);
    if (issuer.pathname !== '/' || issuer.search || issuer.hash)
      throw new Error('The team server issuer must be an origin (scheme, host and port only).');
    this.now = options.now ?? Date.now;
    this.accessTtl = options.accessTokenTtlSeconds ?? 600;
    this.refreshTtlMs = (options.refreshTokenTtlSeconds ?? 30 * 24 * 3600) * 1000;
    this.atlassian = new AtlassianOAuthClient(
      options.atlassian.endpoints,
      {
        clientId: options.atlassian.clientId,
        redirectUri: this.url('/oauth/callback'),
        scopes: options.atlassian.scopes,
      },
      { fetch: options.fetch, now: this.now },
    );
    this.clients = new ClientDirectory({
      store: options.store,
      now: this.now,
      fetch: options.fetch,
      allowLoopbackMetadata: options.allowLoopbackClientMetadata,
    });
    this.sealed = new SealedState(options.store, options.keys, this.now);
    this.tokens = new AccessTokenIssuer(options.keys, this.issuer, options.resource, this.accessTtl, this.now);
    this.resourceMetadataUrl = this.url(`/.well-known/oauth-protected-resource${new URL(options.resource).pathname}`);
  }

  private get issuer(): string {
    return new URL(this.options.issuer).origin;
  }

  private url(path: string): string {
    return `${this.issuer}${path}`;
  }

  /** Serves the OAuth endpoints; false when the request is not one of them (the caller goes on). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', this.issuer);
    const route = `${req.method} ${url.pathname}`;
    try {
      switch (route) {
        case 'GET /.well-known/oauth-protected-resource':
        case `GET ${new URL(this.resourceMetadataUrl).pathname}`:
          sendJson(res, 200, protectedResourceMetadata(this.options.resource, this.issuer));
          return true;
        case 'GET /.well-known/oauth-authorization-server':
          sendJson(res, 200, serverMetadata(this.issuer));
          return true;
        case 'POST /register':
          sendJson(res, 201, await this.clients.register(await readJson(req)));
          return true;
        case 'GET /authorize':
          await this.authorize(url.searchParams, res);
          return true;
        case 'GET /oauth/callback':
          await this.callback(url.searchParams, res);
          return true;
        case 'POST /oauth/sites':
          await this.chooseSites(await readParams(req), res);
          return true;
        case 'POST /token':
          sendJson(res, 200, await this.token(await readParams(req)));
          return true;
        default:
          return false;
      }
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      // What was refused and why, for the operator (the descriptions name no secret).
      this.options.log.warn('%s refused: %s: %s', route, err.error, err.message);
      if (route.startsWith('GET /authorize') || route.startsWith('GET /oauth') || route.startsWith('POST /oauth'))
        sendHtml(res, err.status, errorPage(err.message));
      else sendJson(res, err.status, { error: err.error, error_description: err.message });
      return true;
    }
  }

  /** The caller's claims when the request carries a valid access token for this resource and the person is still signed in. */
  async authenticate(req: IncomingMessage): Promise<AccessClaims | undefined> {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) return undefined;
    const claims = await this.tokens.verify(match[1]!);
    if (!claims || !(await this.options.vault.has(claims.personId))) return undefined;
    return claims;
  }

  /** 401 that tells an MCP client where to start signing in (RFC 9728 §5.1). */
  challenge(req: IncomingMessage, res: ServerResponse): void {
    const presented = /^Bearer\s/i.test(req.headers.authorization ?? '');
    const parts = [`resource_metadata="${this.resourceMetadataUrl}"`, `scope="${SUPPORTED_SCOPES.join(' ')}"`];
    if (presented) parts.push('error="invalid_token"', 'error_description="Sign in again to the team server."');
    sendJson(
      res,
      401,
      { error: presented ? 'invalid_token' : 'unauthorized', error_description: 'Sign in to the team server.' },
      { 'WWW-Authenticate': `Bearer ${parts.join(', ')}` },
    );
  }

  private async authorize(query: URLSearchParams, res: ServerResponse): Promise<void> {
    const client = await this.knownClient(query.get('client_id'));
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!redirectUriAllowed(client, redirectUri))
      throw new HttpError(400, 'invalid_request', 'The redirect URI is not registered for this client.');
    // From here on the redirect URI is trusted: errors go back to the client (RFC 6749 §4.1.2.1).
    const state = query.get('state') ?? undefined;
    const fail = (error: string, description: string) =>
      redirect(res, withParams(redirectUri, { error, error_description: description, state, iss: this.issuer }));
    if (query.get('response_type') !== 'code') return fail('unsupported_response_type', 'Only "code".');
    const challenge = query.get('code_challenge') ?? '';
    if (query.get('code_challenge_method') !== 'S256' || !PKCE_CHALLENGE.test(challenge))
      return fail('invalid_request', 'PKCE with code_challenge_method S256 is required.');
    const resource = query.get('resource');
    if (resource !== null && !sameResource(resource, this.options.resource)) {
      this.options.log.warn('Authorization refused: resource %s is not %s.', resource, this.options.resource);
      return fail('invalid_target', `This server issues tokens only for ${this.options.resource}.`);
    }
    const scope = query.get('scope') ?? SUPPORTED_SCOPES.join(' ');
    if (!scope.split(' ').every((s) => SUPPORTED_SCOPES.includes(s)))
      return fail('invalid_scope', `Supported scopes: ${SUPPORTED_SCOPES.join(' ')}.`);

    const upstream = await this.atlassian.authorizationRequest();
    const pending: PendingAuthorization = {
      clientId: client.clientId,
      clientName: client.clientName,
      redirectUri,
      codeChallenge: challenge,
      state,
      scope,
      atlassianVerifier: upstream.codeVerifier,
    };
    await this.sealed.put('pending', upstream.state, undefined, pending, PENDING_TTL_MS);
    redirect(res, upstream.url);
  }

  /** Atlassian sends the person back here with a code for the team's 3LO app. */
  private async callback(params: URLSearchParams, res: ServerResponse): Promise<void> {
    const upstreamState = params.get('state') ?? '';
    const pending = await this.sealed.take<PendingAuthorization>('pending', upstreamState);
    if (!pending) throw new HttpError(400, 'invalid_request', 'This sign-in is unknown or has expired.');
    const back = (error: string, description: string) =>
      redirect(
        res,
        withParams(pending.redirectUri, {
          error,
          error_description: description,
          state: pending.state,
          iss: this.issuer,
        }),
      );
    if (params.has('error')) return back('access_denied', 'The Atlassian sign-in was not completed.');

    let personId: string;
    let sites: { id: string; name: string; url: string; scopes: readonly string[] }[];
    try {
      const tokens = await this.atlassian.exchangeCode(
        params,
        { url: '', state: upstreamState, codeVerifier: pending.atlassianVerifier },
        this.options.atlassian.clientSecret,
      );
      personId = await this.accountId(tokens.accessToken);
      sites = await this.atlassian.accessibleResources(tokens.accessToken);
      await this.options.vault.save(personId, tokens);
    } catch (err) {
      this.options.log.warn('Atlassian sign-in failed: %s', err);
      return back('server_error', 'The Atlassian sign-in failed; try again.');
    }
    if (sites.length === 0) return back('access_denied', 'Your Atlassian account reaches no site for this app.');

    // Our own consent, naming the client and where the grant goes, before any code is issued: a
    // dynamically registered client cannot ride on the team app's Atlassian consent (confused deputy).
    const choiceId = opaque();
    const choice = { pending, personId, sites: sites.map((s) => s.id) };
    await this.sealed.put('choice', choiceId, personId, choice, PENDING_TTL_MS);
    const client = { name: pending.clientName ?? pending.clientId, redirectUri: pending.redirectUri };
    sendHtml(res, 200, consentPage(this.url('/oauth/sites'), choiceId, client, sites), pending.redirectUri);
  }

  private async chooseSites(form: URLSearchParams, res: ServerResponse): Promise<void> {
    const choice = await this.sealed.take<{ pending: PendingAuthorization; personId: string; sites: string[] }>(
      'choice',
      form.get('choice') ?? '',
    );
    if (!choice) throw new HttpError(400, 'invalid_request', 'This sign-in is unknown or has expired.');
    if (form.get('decision') !== 'allow') {
      const { redirectUri, state } = choice.pending;
      const denied = { error: 'access_denied', error_description: 'The person did not allow access.', state };
      return redirect(res, withParams(redirectUri, { ...denied, iss: this.issuer }));
    }
    const chosen = [...new Set(form.getAll('site'))].filter((id) => choice.sites.includes(id));
    if (chosen.length === 0) throw new HttpError(400, 'invalid_request', 'Choose at least one site.');
    await this.finish(res, choice.pending, choice.personId, chosen);
  }

  private async finish(res: ServerResponse, pending: PendingAuthorization, personId: string, sites: string[]) {
    const code = opaque();
    const grant: CodeGrant = {
      personId,
      clientId: pending.clientId,
      scope: pending.scope,
      sites,
      redirectUri: pending.redirectUri,
      codeChallenge: pending.codeChallenge,
    };
    await this.options.store.putState(
      'code',
      secretHash(code),
      personId,
      JSON.stringify(grant),
      this.now() + CODE_TTL_MS,
    );
    this.options.log.info('Signed in %s for client %s.', personId, pending.clientId);
    // `iss` (RFC 9207) first and `code` last: VS Code's dynamic auth provider finds the code with
    // /[?&]code=/ in a query without its `?`, so in VS Code for the Web (code-server) a response that
    // starts with `code=` never signs in (microsoft/vscode#312105).
    redirect(res, withParams(pending.redirectUri, { iss: this.issuer, state: pending.state, code }));
  }

  private async token(form: URLSearchParams): Promise<Record<string, unknown>> {
    const clientId = form.get('client_id') ?? '';
    const resource = form.get('resource');
    if (resource !== null && !sameResource(resource, this.options.resource))
      throw new HttpError(400, 'invalid_target', `This server issues tokens only for ${this.options.resource}.`);
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const stored = await this.options.store.takeState('code', secretHash(form.get('code') ?? ''), this.now());
      const grant = stored ? (JSON.parse(stored) as CodeGrant) : undefined;
      const verifier = form.get('code_verifier') ?? '';
      if (
        !grant ||
        grant.clientId !== clientId ||
        grant.redirectUri !== form.get('redirect_uri') ||
        secretHash(verifier) !== grant.codeChallenge
      )
        throw new HttpError(400, 'invalid_grant', 'The code is invalid, expired, or was issued to another client.');
      return this.issue(grant, randomUUID());
    }
    if (grantType === 'refresh_token') {
      const presented = secretHash(form.get('refresh_token') ?? '');
      const stored = await this.options.store.takeState('refresh', presented, this.now());
      const grant = stored ? (JSON.parse(stored) as RefreshGrant) : undefined;
      if (!grant) {
        await this.revokeOnReuse(presented);
        throw new HttpError(400, 'invalid_grant', 'The refresh token is invalid or expired; sign in again.');
      }
      if (grant.clientId !== clientId || (await this.familyRevoked(grant.family)))
        throw new HttpError(400, 'invalid_grant', 'The refresh token is invalid or expired; sign in again.');
      await this.options.store.putState(
        'refresh-used',
        presented,
        grant.personId,
        grant.family,
        this.now() + this.refreshTtlMs,
      );
      return this.issue(grant, grant.family);
    }
    throw new HttpError(400, 'unsupported_grant_type', 'Use authorization_code or refresh_token.');
  }

  private async issue(grant: Grant, family: string): Promise<Record<string, unknown>> {
    if (!(await this.options.vault.has(grant.personId)))
      throw new HttpError(400, 'invalid_grant', 'The Atlassian sign-in behind this grant has ended; sign in again.');
    const claims: AccessClaims = {
      personId: grant.personId,
      clientId: grant.clientId,
      scope: grant.scope,
      sites: grant.sites,
    };
    const refreshToken = opaque();
    const next: RefreshGrant = { ...claims, family };
    await this.options.store.putState(
      'refresh',
      secretHash(refreshToken),
      grant.personId,
      JSON.stringify(next),
      this.now() + this.refreshTtlMs,
    );
    return {
      access_token: await this.tokens.issue(claims),
      token_type: 'Bearer',
      expires_in: this.accessTtl,
      refresh_token: refreshToken,
      scope: grant.scope,
    };
  }

  /** A spent refresh token presented again: the family is presumed stolen (OAuth 2.1 §4.3.1). */
  private async revokeOnReuse(presented: string): Promise<void> {
    const family = await this.options.store.getState('refresh-used', presented, this.now());
    if (!family) return;
    this.options.log.warn('A used refresh token was presented again; revoking its token family.');
    await this.options.store.putState('revoked-family', family, undefined, '1', this.now() + this.refreshTtlMs);
  }

  private async familyRevoked(family: string): Promise<boolean> {
    return (await this.options.store.getState('revoked-family', family, this.now())) !== undefined;
  }

  private async knownClient(clientId: string | null): Promise<RegisteredClient> {
    const client = clientId ? await this.clients.find(clientId) : undefined;
    if (!client)
      throw new HttpError(400, 'invalid_client', 'Unknown client; register it or publish its metadata document.');
    return client;
  }

  /** The Atlassian account id of whoever just signed in: the person's identity on the team server. */
  private async accountId(accessToken: string): Promise<string> {
    const base = this.options.atlassian.endpoints.apiBaseUrl.replace(/\/+$/, '');
    const response = await (this.options.fetch ?? fetch)(`${base}/me`, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`GET /me answered ${response.status} (is read:me among the app's scopes?)`);
    const me = (await response.json()) as { account_id?: unknown };
    if (typeof me.account_id !== 'string' || !me.account_id) throw new Error('GET /me returned no account_id');
    return me.account_id;
  }
}

/**
 * RFC 8707 resources compared as URLs, not as text: a proxy on the way (code-server's port proxy
 * collapses `//`) may hand over `http:/host/mcp`, which the URL standard reads as `http://host/mcp`.
 */
function sameResource(given: string, ours: string): boolean {
  try {
    return new URL(given).href === new URL(ours).href;
  } catch {
    return false;
  }
}

// Atlassian OAuth 2.0 (3LO) on top of oauth4webapi: the authorize URL (state + PKCE S256), the code
// exchange and the refresh, both with the app's client secret (Atlassian requires it), and the
// list of sites the grant reaches.
import * as l10n from '@vscode/l10n';
import type * as OAuth from 'oauth4webapi';
import { AtlassianError } from '../atlassian/errors';

/** oauth4webapi loads with the first sign-in or refresh, not with the extension (dist/oauth4webapi.js, esbuild.js). */
const loadOAuth = (): Promise<typeof OAuth> => import('oauth4webapi');

export interface OAuthEndpoints {
  /** Authorization server, https://auth.atlassian.com by default. */
  readonly authBaseUrl: string;
  /** API gateway, https://api.atlassian.com by default. */
  readonly apiBaseUrl: string;
}

export interface OAuthApp {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
}

export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  readonly scopes: readonly string[];
}

export interface AccessibleResource {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly scopes: readonly string[];
}

export class InvalidGrantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidGrantError';
  }
}

export interface AuthorizationRequest {
  readonly url: string;
  readonly state: string;
  readonly codeVerifier: string;
}

export interface OAuthClientOptions {
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

export class AtlassianOAuthClient {
  private readonly server: OAuth.AuthorizationServer;
  private readonly client: OAuth.Client;
  private readonly insecure: boolean;
  private readonly now: () => number;

  constructor(
    private readonly endpoints: OAuthEndpoints,
    private readonly app: OAuthApp,
    private readonly options: OAuthClientOptions = {},
  ) {
    const base = endpoints.authBaseUrl.replace(/\/+$/, '');
    this.server = { issuer: base, authorization_endpoint: `${base}/authorize`, token_endpoint: `${base}/oauth/token` };
    this.client = { client_id: app.clientId };
    // Plain http is allowed only for a loopback authorization server (the sandbox).
    this.insecure = requireSecureOrLoopback(base);
    requireSecureOrLoopback(endpoints.apiBaseUrl);
    this.now = options.now ?? Date.now;
  }

  async authorizationRequest(): Promise<AuthorizationRequest> {
    const oauth = await loadOAuth();
    const state = oauth.generateRandomState();
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const url = new URL(this.server.authorization_endpoint!);
    url.search = new URLSearchParams({
      audience: 'api.atlassian.com',
      client_id: this.app.clientId,
      scope: this.app.scopes.join(' '),
      redirect_uri: this.app.redirectUri,
      state,
      response_type: 'code',
      prompt: 'consent',
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.toString(), state, codeVerifier };
  }

  async exchangeCode(
    callback: URLSearchParams,
    request: AuthorizationRequest,
    clientSecret: string,
  ): Promise<TokenSet> {
    const oauth = await loadOAuth();
    const params = oauth.validateAuthResponse(this.server, this.client, callback, request.state);
    const response = await oauth.authorizationCodeGrantRequest(
      this.server,
      this.client,
      oauth.ClientSecretPost(clientSecret),
      params,
      this.app.redirectUri,
      request.codeVerifier,
      this.requestOptions(oauth),
    );
    return this.tokens(oauth, () => oauth.processAuthorizationCodeResponse(this.server, this.client, response));
  }

  async refresh(refreshToken: string, clientSecret: string): Promise<TokenSet> {
    const oauth = await loadOAuth();
    const response = await oauth.refreshTokenGrantRequest(
      this.server,
      this.client,
      oauth.ClientSecretPost(clientSecret),
      refreshToken,
      this.requestOptions(oauth),
    );
    return this.tokens(oauth, () => oauth.processRefreshTokenResponse(this.server, this.client, response));
  }

  async accessibleResources(accessToken: string, signal?: AbortSignal): Promise<AccessibleResource[]> {
    const url = `${this.endpoints.apiBaseUrl.replace(/\/+$/, '')}/oauth/token/accessible-resources`;
    const fetchImpl = this.options.fetch ?? fetch;
    const response = await fetchImpl(url, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
      signal,
    });
    if (!response.ok) {
      throw new AtlassianError(l10n.t('Listing your Atlassian sites failed ({0}).', response.status), {
        kind: response.status === 401 ? 'unauthorized' : 'server',
        host: new URL(url).host,
        status: response.status,
      });
    }
    const body = (await response.json()) as AccessibleResource[];
    // The list is unordered and may hold one entry per product for the same site: merge by id.
    const byId = new Map<string, AccessibleResource>();
    for (const r of body) {
      const seen = byId.get(r.id);
      byId.set(r.id, seen ? { ...seen, scopes: [...new Set([...seen.scopes, ...r.scopes])] } : r);
    }
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  private requestOptions(oauth: typeof OAuth): OAuth.TokenEndpointRequestOptions {
    return {
      ...(this.insecure ? { [oauth.allowInsecureRequests]: true } : {}),
      ...(this.options.fetch ? { [oauth.customFetch]: this.options.fetch } : {}),
    };
  }

  private async tokens(oauth: typeof OAuth, process: () => Promise<OAuth.TokenEndpointResponse>): Promise<TokenSet> {
    let result: OAuth.TokenEndpointResponse;
    try {
      result = await process();
    } catch (err) {
      throw describeOAuthError(oauth, err, new URL(this.server.token_endpoint!).host);
    }
    return {
      accessToken: result.access_token,
      refreshToken: result.refresh_token,
      expiresAt: this.now() + (result.expires_in ?? 3600) * 1000,
      scopes: (result.scope ?? this.app.scopes.join(' ')).split(/\s+/).filter(Boolean),
    };
  }
}

function describeOAuthError(oauth: typeof OAuth, err: unknown, host: string): Error {
  if (err instanceof oauth.ResponseBodyError) {
    if (err.error === 'invalid_grant')
      return new InvalidGrantError(
        l10n.t('Atlassian no longer accepts this sign-in ({0}).', err.error_description ?? 'invalid_grant'),
      );
    if (err.error === 'access_denied' || err.status === 401) {
      return new AtlassianError(
        l10n.t('Atlassian rejected the OAuth app credentials: check the client id setting and the client secret.'),
        { kind: 'unauthorized', host, status: err.status },
      );
    }
    return new AtlassianError(
      l10n.t("Atlassian's token endpoint answered {0}: {1}.", err.status, err.error_description ?? err.error),
      { kind: 'badRequest', host, status: err.status },
    );
  }
  if (err instanceof oauth.AuthorizationResponseError) {
    return new AtlassianError(l10n.t('Sign-in failed: {0}.', err.error_description ?? err.error), {
      kind: 'badRequest',
      host,
    });
  }
  if (err instanceof TypeError || (err instanceof Error && err.name === 'TypeError')) {
    return new AtlassianError(
      l10n.t('Could not reach {0}. Check the network, proxy and the authorization server setting.', host),
      { kind: 'network', host, cause: err },
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** True when the URL is plain http on loopback (allowed), false for https; throws for anything else. */
function requireSecureOrLoopback(url: string): boolean {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') return false;
  if (parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) return true;
  throw new Error(l10n.t('Refusing a plain-http OAuth endpoint that is not on this machine: {0}', parsed.origin));
}

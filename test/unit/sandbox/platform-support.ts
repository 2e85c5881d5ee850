// Shared steps for the sandbox platform tests: drive the OAuth dance over real HTTP, as a client would.
import assert from 'node:assert/strict';
import type { Sandbox } from '../../sandbox/index';
import type { TokenResponse } from '../../sandbox/oauth';

export const REDIRECT_URI = 'http://127.0.0.1:27418/callback';

export type Params = Record<string, string | undefined>;

export function authorizeParams(sandbox: Sandbox, overrides: Params = {}): Params {
  return {
    audience: 'api.atlassian.com',
    client_id: sandbox.discovery.oauthClient.clientId,
    scope: 'read:jira-work write:jira-work read:me offline_access',
    redirect_uri: REDIRECT_URI,
    state: 'state-123',
    response_type: 'code',
    prompt: 'consent',
    ...overrides,
  };
}

/** Builds the authorize URL with `%20` between scopes (or `+` when asked, as URLSearchParams does). */
export function authorizeUrl(sandbox: Sandbox, params: Params, plusSeparated = false): string {
  const query = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&');
  const url = `${sandbox.discovery.authBaseUrl}/authorize?${query}`;
  return plusSeparated ? url.replace(/%20/g, '+') : url;
}

export async function openConsent(sandbox: Sandbox, overrides: Params = {}): Promise<string> {
  const res = await fetch(authorizeUrl(sandbox, authorizeParams(sandbox, overrides)), { redirect: 'manual' });
  assert.equal(res.status, 200);
  const html = await res.text();
  const consent = /name="consent" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(consent, 'consent page carries a consent id');
  return consent;
}

/** Posts the consent form like a browser without JavaScript; returns the redirect Location. */
export async function submitConsent(
  sandbox: Sandbox,
  consent: string,
  decision: 'accept' | 'deny',
  accountId?: string,
): Promise<string> {
  const form = new URLSearchParams({ consent, decision, ...(accountId ? { account_id: accountId } : {}) });
  const res = await fetch(`${sandbox.discovery.authBaseUrl}/authorize`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  assert.equal(res.status, 302);
  const location = res.headers.get('location');
  assert.ok(location);
  return location;
}

export async function obtainCode(sandbox: Sandbox, overrides: Params = {}, accountId?: string): Promise<string> {
  const location = await submitConsent(sandbox, await openConsent(sandbox, overrides), 'accept', accountId);
  const code = new URL(location).searchParams.get('code');
  assert.ok(code);
  return code;
}

export async function tokenRequest(
  sandbox: Sandbox,
  body: Record<string, string | undefined>,
  form = false,
): Promise<Response> {
  const clean = Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return fetch(`${sandbox.discovery.authBaseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form ? new URLSearchParams(clean).toString() : JSON.stringify(clean),
  });
}

export function codeGrant(sandbox: Sandbox, code: string, extra: Params = {}): Params {
  const { clientId, clientSecret } = sandbox.discovery.oauthClient;
  return {
    grant_type: 'authorization_code',
    client_id: clientId,
    client_secret: clientSecret,
    code,
    redirect_uri: REDIRECT_URI,
    ...extra,
  };
}

export function refreshGrant(sandbox: Sandbox, refreshToken: string): Params {
  const { clientId, clientSecret } = sandbox.discovery.oauthClient;
  return { grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken };
}

/** The whole browser sign-in: authorize → consent → code → tokens. */
export async function signIn(sandbox: Sandbox, overrides: Params = {}, accountId?: string): Promise<TokenResponse> {
  const code = await obtainCode(sandbox, overrides, accountId);
  const res = await tokenRequest(sandbox, codeGrant(sandbox, code));
  assert.equal(res.status, 200);
  return (await res.json()) as TokenResponse;
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

export function basic(email: string, secret: string): { authorization: string } {
  return { authorization: `Basic ${Buffer.from(`${email}:${secret}`).toString('base64')}` };
}

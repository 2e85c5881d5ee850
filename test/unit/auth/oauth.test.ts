import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer } from 'node:net';
import type { CallbackError } from '../../../src/auth/loopback';
import { listenForCallback, type PendingCallback } from '../../../src/auth/loopback';
import { AtlassianOAuthClient, type AuthorizationRequest } from '../../../src/auth/oauthClient';
import { freePort } from '../../harness/process';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { consent } from '../../support/consentBrowser';

const SCOPES = ['read:jira-work', 'write:jira-work', 'read:jira-user', 'read:me', 'offline_access'];
const PAGES = { success: () => 'signed in', failure: (m: string) => `failed: ${m}` };
const PORT_SETTING = 'atlassianMcpBridge.oauth.redirectPort';

describe('OAuth 2.0 (3LO) sign-in against the sandbox', function () {
  let sandbox: Sandbox;
  let redirectUri: string;
  let client: AtlassianOAuthClient;
  let pending: PendingCallback | undefined;

  beforeEach(async () => {
    redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
    sandbox = await startSandbox({ redirectUris: [redirectUri] });
    const { authBaseUrl, apiBaseUrl, oauthClient } = sandbox.discovery;
    client = new AtlassianOAuthClient(
      { authBaseUrl, apiBaseUrl },
      { clientId: oauthClient.clientId, redirectUri, scopes: SCOPES },
    );
  });

  afterEach(async () => {
    pending?.close();
    pending = undefined;
    await sandbox.close();
  });

  async function begin(timeoutMs = 60_000, signal?: AbortSignal): Promise<AuthorizationRequest> {
    const authorization = await client.authorizationRequest();
    pending = await listenForCallback({
      redirectUri,
      expectedState: authorization.state,
      timeoutMs,
      signal,
      pages: PAGES,
      portSettingName: PORT_SETTING,
    });
    return authorization;
  }

  it('completes the happy path: consent, state-checked callback, PKCE code exchange, sites', async () => {
    const authorization = await begin();
    const url = new URL(authorization.url);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(Buffer.from(authorization.state, 'base64url').length >= 16, 'state has at least 128 bits');
    const outcome = await consent(authorization.url, 'accept');
    assert.equal(outcome.callbackStatus, 200);
    const params = await pending!.result;
    const tokens = await client.exchangeCode(params, authorization, sandbox.discovery.oauthClient.clientSecret);
    assert.ok(tokens.accessToken && tokens.refreshToken, 'access and refresh token');
    assert.ok(tokens.expiresAt > Date.now() + 3000_000);
    assert.ok(tokens.scopes.includes('offline_access'));
    const sites = await client.accessibleResources(tokens.accessToken);
    assert.deepEqual(
      sites.map((s) => s.name),
      ['Acme Corp', 'Globex'],
      'sorted by name whatever order the API used',
    );
  });

  it('reports a denied consent clearly', async () => {
    const authorization = await begin();
    await consent(authorization.url, 'deny');
    await assert.rejects(
      pending!.result,
      (err: CallbackError) => err.reason === 'denied' && /declined/.test(err.message),
    );
  });

  it('rejects the wrong client secret without storing anything', async () => {
    const authorization = await begin();
    await consent(authorization.url, 'accept');
    await assert.rejects(
      client.exchangeCode(await pending!.result, authorization, 'not-the-secret'),
      /rejected the OAuth app credentials/,
    );
  });

  it('ignores a callback with the wrong state or path, and still completes the genuine one', async () => {
    const authorization = await begin();
    const genuine = await consent(authorization.url, 'accept', false);
    const forgedState = new URL(genuine.location);
    forgedState.searchParams.set('state', 'forged');
    assert.equal((await fetch(forgedState)).status, 400);
    const wrongPath = new URL(genuine.location);
    wrongPath.pathname = '/other';
    assert.equal((await fetch(wrongPath)).status, 404);
    // As a browser follows the authorization server's redirect: a cross-site top-level navigation.
    const navigation = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
    const real = new URL(genuine.location);
    assert.equal(await rawRequest(Number(real.port), 'GET', real.pathname + real.search, navigation), 200);
    assert.ok((await pending!.result).get('code'));
  });

  it('times out', async () => {
    await begin(150);
    await assert.rejects(pending!.result, (err: CallbackError) => err.reason === 'timeout');
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    await begin(60_000, controller.signal);
    controller.abort();
    await assert.rejects(pending!.result, (err: CallbackError) => err.reason === 'cancelled');
  });

  it('names the port and the setting when the port is busy', async () => {
    const blocker = createServer().listen(Number(new URL(redirectUri).port), '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    try {
      const authorization = await client.authorizationRequest();
      await assert.rejects(
        listenForCallback({
          redirectUri,
          expectedState: authorization.state,
          timeoutMs: 1000,
          pages: PAGES,
          portSettingName: PORT_SETTING,
        }),
        (err: CallbackError) =>
          err.reason === 'portInUse' &&
          err.message.includes(new URL(redirectUri).port) &&
          err.message.includes(PORT_SETTING),
      );
    } finally {
      blocker.close();
    }
  });

  it('survives 200+ forged or malformed callbacks while pending, then completes the genuine one', async function () {
    this.timeout(60_000);
    const authorization = await begin();
    const genuine = await consent(authorization.url, 'accept', false);
    const real = new URL(genuine.location);
    const code = real.searchParams.get('code')!;
    const port = Number(real.port);
    const hostile: { method: string; path: string; headers?: Record<string, string> }[] = [];
    for (let i = 0; i < 40; i++)
      hostile.push({ method: 'GET', path: `/callback?code=stolen${i}&state=${'x'.repeat(i + 1)}` });
    for (let i = 0; i < 30; i++) hostile.push({ method: 'GET', path: `/callback?code=${code}` }); // missing state
    for (let i = 0; i < 30; i++) hostile.push({ method: 'GET', path: `/callback?state=${authorization.state}` }); // missing code
    for (let i = 0; i < 30; i++)
      hostile.push({
        method: 'GET',
        path: `/callback?code=a&code=b&state=${authorization.state}&state=${authorization.state}`,
      });
    for (let i = 0; i < 20; i++)
      hostile.push({ method: 'GET', path: `/callback?code=${'A'.repeat(20_000)}&state=${authorization.state}` });
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      for (let i = 0; i < 6; i++) hostile.push({ method, path: real.pathname + real.search });
    }
    for (let i = 0; i < 20; i++)
      hostile.push({ method: 'GET', path: `/admin${i}?code=${code}&state=${authorization.state}` });
    for (let i = 0; i < 20; i++)
      hostile.push({ method: 'GET', path: real.pathname + real.search, headers: { host: 'evil.example:80' } });
    // A page on another site fetching the callback (DNS rebinding aside): refused by Origin or fetch metadata.
    for (let i = 0; i < 10; i++)
      hostile.push({
        method: 'GET',
        path: real.pathname + real.search,
        headers: { origin: `https://evil${i}.example` },
      });
    for (let i = 0; i < 10; i++)
      hostile.push({
        method: 'GET',
        path: real.pathname + real.search,
        headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': i % 2 ? 'cors' : 'no-cors' },
      });
    assert.ok(hostile.length >= 200);
    const statuses = await Promise.all(hostile.map((h) => rawRequest(port, h.method, h.path, h.headers)));
    assert.ok(
      statuses.every((s) => s >= 400),
      `every hostile request refused, saw ${[...new Set(statuses)].join(',')}`,
    );
    assert.equal((await fetch(real)).status, 200);
    assert.equal((await pending!.result).get('code'), code);
  });
});

/** A raw HTTP request (fetch would normalise the method, Host header and oversized URLs). */
function rawRequest(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(599));
    req.end();
  });
}

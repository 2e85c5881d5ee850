import assert from 'node:assert/strict';
import type { AtlassianError } from '../../../src/atlassian/errors';
import { AtlassianHttpClient } from '../../../src/atlassian/http';
import { ConnectionManager } from '../../../src/auth/connections';
import { AtlassianOAuthClient } from '../../../src/auth/oauthClient';
import { loadSandboxProfile } from '../../../src/auth/sandboxProfile';
import { clientSecretKey } from '../../../src/auth/secrets';
import { signInWithApiToken, signInWithOAuth, signInWithPersonalAccessToken } from '../../../src/auth/signIn';
import { callbackPages } from '../../../src/auth/callbackPages';
import { createLogger } from '../../../src/core/logger';
import { SecretRedactor } from '../../../src/core/redact';
import { freePort } from '../../harness/process';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { consent } from '../../support/consentBrowser';
import { MemorySecretStore } from '../../support/memorySecretStore';
import { MemoryMetadata } from '../../support/memoryMetadata';

describe('signing in and keeping connections', () => {
  let sandbox: Sandbox;
  let secrets: MemorySecretStore;
  let metadata: MemoryMetadata;
  let redactor: SecretRedactor;
  let lines: string[];
  let log: ReturnType<typeof createLogger>;
  let manager: ConnectionManager;

  beforeEach(async () => {
    sandbox = await startSandbox({ redirectUris: [`http://127.0.0.1:${await freePort()}/callback`] });
    secrets = new MemorySecretStore();
    metadata = new MemoryMetadata();
    redactor = new SecretRedactor();
    lines = [];
    log = createLogger((_level, line) => lines.push(line), redactor);
    manager = new ConnectionManager({
      secrets,
      metadata,
      redactor,
      log,
      refresherFor: (grant) =>
        new AtlassianOAuthClient(
          grant,
          { clientId: grant.clientId, redirectUri: grant.redirectUri, scopes: [] },
          { now: () => sandbox.clock.now() },
        ),
      now: () => sandbox.clock.now(),
    });
  });

  afterEach(async () => {
    manager.dispose();
    await sandbox.close();
  });

  /** Signs in to the sandbox with its API token and keeps the connection. */
  async function connectWithApiToken() {
    const profile = await loadSandboxProfile(`${sandbox.url}/.well-known/sandbox.json`);
    const { info, credential } = await signInWithApiToken({
      siteUrl: profile.siteUrl!,
      email: profile.email!,
      apiToken: profile.apiToken!,
    });
    await manager.add(info, credential);
    return { profile, info, credential };
  }

  it('API token: validates with /myself, finds the cloud id, stores the secret only in secret storage', async () => {
    const profile = await loadSandboxProfile(`${sandbox.url}/.well-known/sandbox.json`);
    const result = await signInWithApiToken({
      siteUrl: profile.siteUrl!,
      email: profile.email!,
      apiToken: profile.apiToken!,
    });
    assert.equal(result.info.cloudId, sandbox.discovery.sites[0]!.cloudId);
    assert.equal(result.info.user.displayName, 'Ada Lovelace');
    assert.equal(result.info.flavour, 'cloud');
    await manager.add(result.info, result.credential);
    assert.ok(!JSON.stringify([...metadata.values]).includes(profile.apiToken!), 'no token in global state');
    const http = new AtlassianHttpClient(result.info.jiraBaseUrl, manager.credentials(result.info.id));
    assert.equal(
      (await http.request<{ displayName: string }>({ path: '/rest/api/3/myself' })).displayName,
      'Ada Lovelace',
    );
  });

  it('API token and PAT: the secret is read from storage once, and again only after it changed', async () => {
    // Every SecretStorage read is a round trip to the workbench, which is slowest exactly when a
    // view is being created (the issue detail panel): requests must not wait for it each time.
    const { profile, info, credential } = await connectWithApiToken();
    let reads = 0;
    const get = secrets.get.bind(secrets);
    secrets.get = (key) => {
      reads++;
      return get(key);
    };
    const first = await manager.credentials(info.id).authorization();
    await Promise.all([manager.credentials(info.id).authorization(), manager.credentials(info.id).authorization()]);
    assert.equal(reads, 1);
    // Another window signs in again with a new token: the next request uses it.
    await secrets.store(info.secretKey, JSON.stringify({ ...credential, apiToken: 'rotated-token' }));
    const second = await manager.credentials(info.id).authorization();
    assert.equal(reads, 2);
    assert.notEqual(second, first);
    assert.equal(second, `Basic ${Buffer.from(`${profile.email!}:rotated-token`).toString('base64')}`);
    // Disconnected: nothing cached survives.
    await manager.remove(info.id);
    assert.throws(() => manager.credentials(info.id));
  });

  it('API token: once read, a request leaves in the same turn, until the secret changes', async () => {
    // The issue panel starts its read and then builds its webview: the request should be on the
    // wire while the webview is built, not wait for the build to finish to learn its header.
    const { profile, info, credential } = await connectWithApiToken();
    const credentials = manager.credentials(info.id);
    assert.equal(credentials.known?.(), undefined, 'nothing read yet');
    const header = await credentials.authorization();
    assert.equal(credentials.known?.(), header);

    let sent = 0;
    const http = new AtlassianHttpClient(info.jiraBaseUrl, manager.credentials(info.id), {
      fetch: (input, init) => {
        sent++;
        return fetch(input, init);
      },
    });
    const answer = http.request<{ displayName: string }>({ path: '/rest/api/3/myself' });
    assert.equal(sent, 1, 'the request waited a turn for its header');
    assert.equal((await answer).displayName, 'Ada Lovelace');

    // Another window signs in again: the old header is no longer at hand, the new one is read.
    await secrets.store(info.secretKey, JSON.stringify({ ...credential, apiToken: 'rotated-token' }));
    assert.equal(credentials.known?.(), undefined);
    assert.equal(
      await credentials.authorization(),
      `Basic ${Buffer.from(`${profile.email!}:rotated-token`).toString('base64')}`,
    );
  });

  it('API token: a wrong token is a clear 401, nothing stored', async () => {
    const profile = await loadSandboxProfile(`${sandbox.url}/.well-known/sandbox.json`);
    await assert.rejects(
      signInWithApiToken({ siteUrl: profile.siteUrl!, email: profile.email!, apiToken: 'wrong-token' }),
      (err: AtlassianError) => err.kind === 'unauthorized',
    );
    assert.equal(manager.list().length, 0);
  });

  it('personal access token: detects Data Center from serverInfo, not from the host name', async () => {
    const { dataCenter } = sandbox.discovery;
    const result = await signInWithPersonalAccessToken({
      baseUrl: dataCenter.url,
      token: dataCenter.personalAccessToken,
    });
    assert.equal(result.info.flavour, 'datacenter');
    assert.equal(result.info.method, 'pat');
    await manager.add(result.info, result.credential);
    assert.equal(await manager.credentials(result.info.id).authorization(), `Bearer ${dataCenter.personalAccessToken}`);
  });

  it('OAuth: full flow, site picked when several, then tokens refresh through the connection', async () => {
    const { oauthClient, authBaseUrl, apiBaseUrl } = sandbox.discovery;
    await secrets.store(clientSecretKey(oauthClient.clientId), oauthClient.clientSecret);
    const offered: string[] = [];
    const result = await signInWithOAuth({
      endpoints: { authBaseUrl, apiBaseUrl },
      app: {
        clientId: oauthClient.clientId,
        redirectUri: oauthClient.redirectUris[0]!,
        scopes: ['read:jira-work', 'read:jira-user', 'read:me', 'offline_access'],
      },
      clientSecret: oauthClient.clientSecret,
      openBrowser: async (url) => {
        void consent(url, 'accept');
        return true;
      },
      pickSite: async (sites) => {
        offered.push(...sites.map((s) => s.name));
        return sites.find((s) => s.name === 'Globex');
      },
      pages: callbackPages,
      portSettingName: 'x',
      now: () => sandbox.clock.now(),
    });
    assert.deepEqual(offered, ['Acme Corp', 'Globex'], 'the user chooses; nothing is picked silently');
    assert.equal(result.info.siteName, 'Globex');
    await manager.add(result.info, result.credential);

    sandbox.clock.advance(2 * 3600_000);
    const http = new AtlassianHttpClient(result.info.jiraBaseUrl, manager.credentials(result.info.id));
    assert.equal(
      (await http.request<{ displayName: string }>({ path: '/rest/api/3/myself' })).displayName,
      'Ada Lovelace',
    );
    const stored = manager.get(result.info.id)!;
    assert.ok(stored.lastRefreshAt, 'refresh recorded in metadata');
    assert.ok(stored.expiresAt! > sandbox.clock.now());
  });

  it('marks "needs reconnect" when the refresh family is revoked, and keeps every secret out of the log', async () => {
    const t = sandbox.tokens.issue({ scopes: ['read:jira-work', 'offline_access'] });
    const { oauthClient, authBaseUrl, apiBaseUrl, sites } = sandbox.discovery;
    await secrets.store(clientSecretKey(oauthClient.clientId), oauthClient.clientSecret);
    await manager.add(
      {
        id: 'oauth:acme:ada',
        method: 'oauth',
        flavour: 'cloud',
        siteName: 'Acme Corp',
        siteUrl: sites[0]!.url,
        cloudId: sites[0]!.cloudId,
        jiraBaseUrl: `${apiBaseUrl}/ex/jira/${sites[0]!.cloudId}`,
        confluenceBaseUrl: `${apiBaseUrl}/ex/confluence/${sites[0]!.cloudId}/wiki`,
        user: { accountId: 'a', displayName: 'Ada', email: undefined },
        scopes: [],
        secretKey: 'oauth-grant/test/ada',
        oauth: { clientId: oauthClient.clientId, authBaseUrl, apiBaseUrl, redirectUri: oauthClient.redirectUris[0]! },
        state: 'connected',
        stateReason: undefined,
        expiresAt: undefined,
        lastRefreshAt: undefined,
        createdAt: 0,
      },
      {
        kind: 'oauth',
        accessToken: t.access_token,
        refreshToken: t.refresh_token,
        expiresAt: sandbox.clock.now() + 1000,
      },
    );
    sandbox.tokens.revokeFamily(t.refresh_token!);
    await assert.rejects(
      manager.credentials('oauth:acme:ada').authorization(),
      (err: AtlassianError) => err.kind === 'needsReconnect',
    );
    assert.equal(manager.get('oauth:acme:ada')!.state, 'needsReconnect');
    log.info('a careless caller logs %s and %s', t.access_token, t.refresh_token);
    for (const line of lines) {
      assert.ok(!line.includes(t.access_token) && !line.includes(t.refresh_token!), `secret in log line: ${line}`);
    }
  });

  it('disconnects one connection and chooses the default', async () => {
    const profile = await loadSandboxProfile(`${sandbox.url}/.well-known/sandbox.json`);
    const a = await signInWithApiToken({
      siteUrl: profile.siteUrl!,
      email: profile.email!,
      apiToken: profile.apiToken!,
    });
    const dc = await signInWithPersonalAccessToken({
      baseUrl: profile.dataCenterUrl!,
      token: profile.personalAccessToken!,
    });
    await manager.add(a.info, a.credential);
    await manager.add(dc.info, dc.credential);
    assert.equal(manager.defaultConnection()?.id, a.info.id);
    await manager.setDefault(dc.info.id);
    assert.equal(manager.defaultConnection()?.id, dc.info.id);
    await manager.remove(dc.info.id);
    assert.deepEqual(
      manager.list().map((c) => c.id),
      [a.info.id],
    );
    assert.equal(await secrets.get(dc.info.secretKey), undefined, 'its secret is deleted');
    assert.equal(manager.defaultConnection()?.id, a.info.id);
  });
});

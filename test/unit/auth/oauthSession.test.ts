import assert from 'node:assert/strict';
import type { AtlassianError } from '../../../src/atlassian/errors';
import { AtlassianHttpClient } from '../../../src/atlassian/http';
import { AtlassianOAuthClient } from '../../../src/auth/oauthClient';
import { OAuthSession } from '../../../src/auth/oauthSession';
import { connectionSecretKey, parseStoredCredential } from '../../../src/auth/secrets';
import { createLogger } from '../../../src/core/logger';
import { SecretRedactor } from '../../../src/core/redact';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { MemorySecretStore, SecretBacking } from '../../support/memorySecretStore';

const SCOPES = ['read:jira-work', 'write:jira-work', 'read:jira-user', 'read:me', 'offline_access'];
const KEY = connectionSecretKey('acme-oauth');
const silent = createLogger(() => undefined, new SecretRedactor());

describe('OAuthSession: refresh with rotating refresh tokens', () => {
  let sandbox: Sandbox;
  let oauth: AtlassianOAuthClient;

  beforeEach(async () => {
    sandbox = await startSandbox();
    const { authBaseUrl, apiBaseUrl, oauthClient } = sandbox.discovery;
    oauth = new AtlassianOAuthClient(
      { authBaseUrl, apiBaseUrl },
      { clientId: oauthClient.clientId, redirectUri: oauthClient.redirectUris[0]!, scopes: SCOPES },
      { now: () => sandbox.clock.now() },
    );
  });

  afterEach(() => sandbox.close());

  /** Stores a freshly issued token set the way sign-in does. */
  async function signedIn(store: MemorySecretStore): Promise<{ accessToken: string; refreshToken: string }> {
    const t = sandbox.tokens.issue({ scopes: SCOPES });
    await store.store(
      KEY,
      JSON.stringify({
        kind: 'oauth',
        accessToken: t.access_token,
        refreshToken: t.refresh_token,
        expiresAt: sandbox.clock.now() + t.expires_in * 1000,
      }),
    );
    return { accessToken: t.access_token, refreshToken: t.refresh_token! };
  }

  function session(store: MemorySecretStore, onNeedsReconnect?: (reason: string) => void): OAuthSession {
    return new OAuthSession({
      secrets: store,
      secretKey: KEY,
      refresher: oauth,
      clientSecret: async () => sandbox.discovery.oauthClient.clientSecret,
      host: 'api.atlassian.com',
      log: silent,
      now: () => sandbox.clock.now(),
      onNeedsReconnect,
    });
  }

  const refreshCount = () =>
    sandbox.log.entries().filter((e) => e.method === 'POST' && e.path === '/auth/oauth/token').length;

  it('uses the stored token while it is fresh, and refreshes it ahead of expiry (>= 5 min), persisting the rotation', async () => {
    const store = new MemorySecretStore();
    const first = await signedIn(store);
    const s = session(store);
    assert.equal(await s.accessToken(), first.accessToken);
    assert.equal(refreshCount(), 0);

    sandbox.clock.advance(56 * 60_000); // 4 minutes left: inside the margin
    const next = await s.accessToken();
    assert.notEqual(next, first.accessToken);
    const stored = parseStoredCredential(await store.get(KEY));
    assert.equal(stored?.kind, 'oauth');
    assert.equal(stored?.kind === 'oauth' && stored.accessToken, next);
    assert.notEqual(
      stored?.kind === 'oauth' && stored.refreshToken,
      first.refreshToken,
      'the rotated refresh token was persisted',
    );
    assert.equal(refreshCount(), 1);
  });

  it('lets 50 concurrent callers at expiry cause exactly one refresh request', async () => {
    const store = new MemorySecretStore();
    await signedIn(store);
    const s = session(store);
    sandbox.clock.advance(61 * 60_000);
    sandbox.log.clear();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => s.accessToken()));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(refreshCount(), 1);
  });

  it('refreshes once on a 401 and retries the call (token revoked server-side before its expiry)', async () => {
    const store = new MemorySecretStore();
    const { accessToken } = await signedIn(store);
    const s = session(store);
    const acme = sandbox.discovery.sites.find((site) => site.name === 'acme')!;
    const http = new AtlassianHttpClient(`${sandbox.discovery.apiBaseUrl}/ex/jira/${acme.cloudId}`, s);
    sandbox.tokens.expireAccessToken(accessToken);
    const me = await http.request<{ accountId: string }>({ path: '/rest/api/3/myself' });
    assert.ok(me.accountId);
    assert.equal(refreshCount(), 1);
  });

  it('uses the token another window already rotated instead of spending the old refresh token', async () => {
    const backing = new SecretBacking();
    const windowA = new MemorySecretStore(backing);
    const windowB = new MemorySecretStore(backing);
    await signedIn(windowA);
    sandbox.clock.advance(61 * 60_000);
    const a = session(windowA);
    const b = session(windowB);
    const tokenA = await a.accessToken();
    const tokenB = await b.accessToken();
    assert.equal(tokenB, tokenA);
    assert.equal(refreshCount(), 1);
  });

  it('refreshes across many expiries with zero invalid_grant', async () => {
    const store = new MemorySecretStore();
    await signedIn(store);
    const s = session(store);
    for (let i = 0; i < 20; i++) {
      sandbox.clock.advance(60 * 60_000);
      await s.accessToken();
    }
    assert.equal(refreshCount(), 20);
    assert.ok(sandbox.log.entries().every((e) => e.status !== 403));
  });

  it('reports "needs reconnect" when the refresh-token family was revoked, after re-reading the secret', async () => {
    const store = new MemorySecretStore();
    const { refreshToken } = await signedIn(store);
    const reasons: string[] = [];
    const s = session(store, (reason) => reasons.push(reason));
    sandbox.tokens.revokeFamily(refreshToken);
    sandbox.clock.advance(61 * 60_000);
    await assert.rejects(
      s.accessToken(),
      (err: AtlassianError) => err.kind === 'needsReconnect' && /Connect Atlassian/.test(err.message),
    );
    assert.equal(reasons.length, 1);
  });

  it('two windows refreshing at once with the same refresh token both succeed inside the grace period', async () => {
    const first = new MemorySecretStore();
    await signedIn(first);
    const second = new MemorySecretStore();
    await second.store(KEY, (await first.get(KEY))!);
    sandbox.clock.advance(61 * 60_000);
    // Separate stores: neither window sees the other's rotation before refreshing.
    const [a, b] = await Promise.all([session(first).accessToken(), session(second).accessToken()]);
    assert.notEqual(a, b);
    assert.equal(refreshCount(), 2);
    assert.ok(
      sandbox.log.entries().every((e) => e.status !== 403),
      'no invalid_grant',
    );
  });

  it('a rotated-out refresh token reused after the grace period revokes the family: "needs reconnect"', async () => {
    const store = new MemorySecretStore();
    await signedIn(store);
    const snapshot = (await store.get(KEY))!;
    sandbox.clock.advance(61 * 60_000);
    await session(store).accessToken(); // rotates
    sandbox.clock.advance(11 * 60_000); // past the 10-minute grace
    const old = new MemorySecretStore();
    await old.store(KEY, snapshot);
    await assert.rejects(session(old).accessToken(), (err: AtlassianError) => err.kind === 'needsReconnect');
    // Reuse killed the whole family: the current refresh token stops working too.
    sandbox.clock.advance(61 * 60_000);
    await assert.rejects(session(store).accessToken(), (err: AtlassianError) => err.kind === 'needsReconnect');
  });

  it('reports "needs reconnect" when the client secret is missing', async () => {
    const store = new MemorySecretStore();
    await signedIn(store);
    sandbox.clock.advance(61 * 60_000);
    const s = new OAuthSession({
      secrets: store,
      secretKey: KEY,
      refresher: oauth,
      clientSecret: async () => undefined,
      host: 'h',
      log: silent,
      now: () => sandbox.clock.now(),
    });
    await assert.rejects(
      s.accessToken(),
      (err: AtlassianError) => err.kind === 'needsReconnect' && /client secret/.test(err.message),
    );
  });

  it('treats a corrupted or missing secret as "needs reconnect", never a crash', async () => {
    const store = new MemorySecretStore();
    await store.store(KEY, '{not json');
    await assert.rejects(session(store).accessToken(), (err: AtlassianError) => err.kind === 'needsReconnect');
    await store.delete(KEY);
    await assert.rejects(session(store).accessToken(), (err: AtlassianError) => err.kind === 'needsReconnect');
  });
});

// Hardening: two editor windows share one OAuth connection (one SecretStorage backing, one global
// state, a ConnectionManager each, as VS Code runs one extension host per window) and keep calling
// Jira through many token expiries at once. Atlassian rotates refresh tokens and revokes the whole
// grant when a rotated-out one is reused after its leeway, so a single uncoordinated refresh shows
// up as a 403 invalid_grant in the sandbox's own request log, whatever the clients believe.
import assert from 'node:assert/strict';
import { AtlassianHttpClient } from '../../../src/atlassian/http';
import { ConnectionManager, type ConnectionInfo } from '../../../src/auth/connections';
import { AtlassianOAuthClient } from '../../../src/auth/oauthClient';
import { clientSecretKey } from '../../../src/auth/secrets';
import { createLogger } from '../../../src/core/logger';
import { SecretRedactor } from '../../../src/core/redact';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { MemorySecretStore, SecretBacking } from '../../support/memorySecretStore';
import { MemoryMetadata } from '../../support/memoryMetadata';
import { figure } from './support';

const EXPIRIES = 60;
const CALLERS_PER_WINDOW = 8;
const SCOPES = ['read:jira-work', 'read:jira-user', 'read:me', 'offline_access'];

/** A window whose SecretStorage writes reach the shared backing late (IPC to the main process). */
class LaggingSecretStore extends MemorySecretStore {
  constructor(
    backing: SecretBacking,
    private readonly lagMs: number,
  ) {
    super(backing);
  }
  override async store(key: string, value: string): Promise<void> {
    if (this.lagMs > 0) await new Promise((resolve) => setTimeout(resolve, this.lagMs));
    await super.store(key, value);
  }
}

interface Outcome {
  readonly calls: number;
  readonly failedCalls: string[];
  readonly refreshes: number;
  readonly invalidGrant: number;
  readonly unauthorized: number;
  readonly states: (string | undefined)[];
  readonly warnings: string[];
}

describe('hardening: two windows sharing one connection', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  const windows: ConnectionManager[] = [];

  beforeEach(async () => {
    sandbox = await startSandbox();
  });
  afterEach(async () => {
    for (const w of windows.splice(0)) w.dispose();
    await sandbox?.close();
  });

  /** Window A signs in, B sees it through the shared state; then both call at every expiry. */
  async function run(options: { lagMsOfWindowA: number }): Promise<Outcome> {
    const { oauthClient, authBaseUrl, apiBaseUrl, sites } = sandbox.discovery;
    const backing = new SecretBacking();
    const globalState = new MemoryMetadata();
    const warnings: string[] = [];
    const window = (lagMs: number) => {
      const redactor = new SecretRedactor();
      const manager = new ConnectionManager({
        secrets: new LaggingSecretStore(backing, lagMs),
        metadata: globalState,
        redactor,
        log: createLogger(
          (level, line) => void (level === 'warn' || level === 'error' ? warnings.push(line) : undefined),
          redactor,
        ),
        refresherFor: (grant) =>
          new AtlassianOAuthClient(
            grant,
            { clientId: grant.clientId, redirectUri: grant.redirectUri, scopes: [] },
            { now: () => sandbox.clock.now() },
          ),
        now: () => sandbox.clock.now(),
      });
      windows.push(manager);
      return manager;
    };
    const [a, b] = [window(options.lagMsOfWindowA), window(0)];

    const t = sandbox.tokens.issue({ scopes: SCOPES });
    const site = sites[0]!;
    const info: ConnectionInfo = {
      id: 'oauth:acme:ada',
      method: 'oauth',
      flavour: 'cloud',
      siteName: 'Acme Corp',
      siteUrl: site.url,
      cloudId: site.cloudId,
      jiraBaseUrl: `${apiBaseUrl}/ex/jira/${site.cloudId}`,
      confluenceBaseUrl: `${apiBaseUrl}/ex/confluence/${site.cloudId}/wiki`,
      user: { accountId: 'ada', displayName: 'Ada Lovelace', email: undefined },
      scopes: SCOPES,
      secretKey: 'oauth-grant/acme/ada',
      oauth: { clientId: oauthClient.clientId, authBaseUrl, apiBaseUrl, redirectUri: oauthClient.redirectUris[0]! },
      state: 'connected',
      stateReason: undefined,
      expiresAt: undefined,
      lastRefreshAt: undefined,
      createdAt: sandbox.clock.now(),
    };
    await new MemorySecretStore(backing).store(clientSecretKey(oauthClient.clientId), oauthClient.clientSecret);
    await a.add(info, {
      kind: 'oauth',
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: sandbox.clock.now() + t.expires_in * 1000,
    });
    assert.ok(b.get(info.id), 'window B sees the connection');

    const clients = [a, b].map(
      (w) => new AtlassianHttpClient(info.jiraBaseUrl, w.credentials(info.id), { retry: { maxRetries: 0 } }),
    );
    sandbox.log.clear();
    let calls = 0;
    const failedCalls: string[] = [];
    for (let expiry = 0; expiry < EXPIRIES; expiry++) {
      sandbox.clock.advance((t.expires_in + 60) * 1000); // every token in hand is now dead
      // Both windows at once, several callers each: the moment two uncoordinated refreshes would collide.
      const round = clients.flatMap((client) =>
        Array.from({ length: CALLERS_PER_WINDOW }, () =>
          client.request<{ accountId: string }>({ path: '/rest/api/3/myself' }),
        ),
      );
      const results = await Promise.allSettled(round);
      calls += results.length;
      for (const r of results)
        if (r.status === 'rejected') failedCalls.push(`expiry ${expiry + 1}: ${String(r.reason)}`);
    }

    const tokenRequests = sandbox.log.entries({ method: 'POST', path: '/auth/oauth/token' });
    return {
      calls,
      failedCalls,
      refreshes: tokenRequests.filter((e) => e.status === 200).length,
      invalidGrant: tokenRequests.filter((e) => e.status === 403).length,
      unauthorized: sandbox.log.count({ status: 401 }),
      states: [a, b].map((w) => w.get(info.id)?.state),
      warnings,
    };
  }

  function check(outcome: Outcome, label: string): void {
    const { calls, refreshes, invalidGrant, unauthorized } = outcome;
    figure(
      `two windows, one connection${label}: ${EXPIRIES} expiries, ${calls} calls, ${refreshes} refreshes (${(refreshes / EXPIRIES).toFixed(2)} per expiry), ${invalidGrant} invalid_grant, ${unauthorized} 401s, ${outcome.failedCalls.length} failed calls`,
    );
    assert.equal(invalidGrant, 0, 'no 403 invalid_grant from the token endpoint');
    assert.deepEqual(outcome.failedCalls.slice(0, 3), [], 'every call succeeds');
    assert.ok(refreshes >= EXPIRIES, `at least one refresh per expiry (${refreshes})`);
    assert.ok(refreshes <= 2 * EXPIRIES, `at most one refresh per window per expiry (${refreshes})`);
    assert.deepEqual(outcome.states, ['connected', 'connected']);
    assert.deepEqual(outcome.warnings, []);
  }

  it(`refreshes across ${EXPIRIES} expiries with both windows calling at once, with zero invalid_grant`, async () => {
    check(await run({ lagMsOfWindowA: 0 }), '');
  });

  // SecretStorage writes go through the main process; when the window whose refresh Atlassian
  // served first stored its tokens last, the rotated-out refresh token used to end up stored and the
  // next expiry killed the grant. The refresh lease in OAuthSession makes one window refresh.
  it("stays connected, one refresh per expiry, when one window's secret-storage writes lag 20 ms", async () => {
    check(await run({ lagMsOfWindowA: 20 }), ' (window A writes 20 ms late)');
  });
});

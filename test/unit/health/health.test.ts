import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AtlassianError } from '../../../src/atlassian/errors';
import { jiraClientFactory } from '../../../src/atlassian/jiraClient';
import { createRemoteCredentials } from '../../../src/auth/credentialBroker';
import { buildDiagnosticsReport, scrubReport } from '../../../src/health/diagnostics';
import { HealthModel, type ConnectionHealth, type HealthSnapshot, type RemoteHealth } from '../../../src/health/health';
import { remoteProber } from '../../../src/health/remoteProbe';
import { planServers, type RemoteServerSetting } from '../../../src/mcp/serverPlan';
import { ForwardingProxy } from '../../../src/remote/forwardingProxy';
import { sandboxConnections, type SandboxConnections } from '../../support/sandboxConnections';
import { startUpstream, type Upstream } from '../remote/upstream';
import { modernMcpRoute } from '../remote/modernUpstream';

/** Shaped like an Atlassian API token; built at run time so secret scanners do not flag the source. */
const FAKE_API_TOKEN = `ATATT${'3xFfGF0abcdefghijklmnop'}`;

const redirectTo = (status: number, location: string) => (_req: IncomingMessage, res: ServerResponse) =>
  void res.writeHead(status, { location }).end();

describe('connection health and the diagnostics report, against the sandbox', function () {
  this.timeout(30_000);
  let world: SandboxConnections;
  let upstream: Upstream;
  let proxy: ForwardingProxy;
  let remotes: RemoteServerSetting[];
  let bridgeTools: number;
  let health: HealthModel;

  const plan = () =>
    planServers({
      extensionVersion: '0.0.0-test',
      connections: world.manager.list(),
      defaultConnectionId: world.manager.defaultConnection()?.id,
      bridge: { toolsets: [], enabledTools: [], readOnly: true, projectsFilter: 'ENG', spacesFilter: '' },
      remotes,
      rovo: { enabled: false, url: '' },
    });
  const connection = (snapshot: HealthSnapshot): ConnectionHealth => snapshot.connections[0]!;
  const remote = (snapshot: HealthSnapshot, label: string): RemoteHealth =>
    snapshot.remotes.find((r) => r.label === label)!;
  const check = (checks: ConnectionHealth['checks'], id: string) => checks.find((c) => c.id === id)!;

  beforeEach(async () => {
    world = await sandboxConnections();
    upstream = await startUpstream({ mcp: { sandbox: world.sandbox, path: '/mcp/' } });
    upstream.routes.set('/mcp', redirectTo(301, '/mcp/'));
    upstream.routes.set('/old', redirectTo(308, '/mcp/'));
    proxy = new ForwardingProxy(createRemoteCredentials(world.manager));
    remotes = [];
    bridgeTools = 0;
    health = new HealthModel({
      connections: world.manager,
      jira: jiraClientFactory((id) => world.manager.credentials(id), { sleep: async () => undefined }),
      plan,
      bridgeToolCount: () => bridgeTools,
      probe: remoteProber(proxy, plan),
      redact: (text) => world.redactor.redact(text),
    });
  });

  afterEach(async () => {
    health.dispose();
    await proxy.close();
    await upstream.close();
    await world.close();
  });

  it('signed out: the overall state says so and nothing is published', async () => {
    const snapshot = await health.check();
    assert.equal(snapshot.overall, 'signedOut');
    assert.deepEqual(snapshot.connections, []);
    assert.equal(snapshot.bridge.state, 'notPublished');
  });

  it('connected (OAuth): method, site, user, cloud id, scopes, expiry, last refresh, and /myself timed', async () => {
    const info = await world.oauth();
    // Signing in starts the check at once (no "not checked yet" left standing).
    assert.equal(connection(health.snapshot()).state, 'checking');
    const snapshot = await health.check();
    const c = connection(snapshot);
    assert.equal(snapshot.overall, 'connected');
    assert.equal(c.state, 'connected');
    assert.match(c.summary, /^connected · \d+ ms$/);
    assert.equal(check(c.checks, 'method').value, 'OAuth 2.0 (browser sign-in)');
    assert.match(check(c.checks, 'site').value, /^Acme Corp — http:\/\/127\.0\.0\.1:\d+\/sites\/acme \(Cloud\)$/);
    assert.equal(check(c.checks, 'user').value, 'Ada Lovelace <ada@example.com>');
    assert.equal(check(c.checks, 'cloudId').value, info.cloudId);
    assert.equal(check(c.checks, 'scopes').status, 'ok');
    assert.match(
      check(c.checks, 'expiry').value,
      /^access token expires in (59|60) min \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/,
    );
    assert.equal(check(c.checks, 'lastRefresh').value, 'not yet (still the token from sign-in)');
    assert.match(check(c.checks, 'api').value, /^reachable · \d+ ms \(GET \/rest\/api\/3\/myself, just now\)$/);
    assert.ok(world.sandbox.log.count({ path: `/api/ex/jira/${info.cloudId}/rest/api/3/myself` }) >= 1);
  });

  it('warns about missing scopes, saying what breaks', async () => {
    await world.oauth(['read:jira-work', 'read:jira-user', 'read:me']);
    const scopes = check(connection(await health.check()).checks, 'scopes');
    assert.equal(scopes.status, 'warning');
    assert.match(scopes.problem!.what, /write:jira-work \(transitions, comments and assigning fail\)/);
    assert.match(scopes.problem!.what, /offline_access \(there is no refresh token/);
  });

  it('needs reconnect after the refresh token is revoked: shown with its action, overall too', async () => {
    await world.oauth();
    world.sandbox.tokens.revokeAll({ accessTokens: true });
    const snapshot = await health.check();
    const c = connection(snapshot);
    assert.equal(snapshot.overall, 'needsReconnect');
    assert.equal(c.state, 'needsReconnect');
    assert.deepEqual(c.action, { kind: 'reconnect' });
    assert.match(
      c.problem!.what,
      /The sign-in for Acme Corp can no longer be used \(Atlassian no longer accepts the refresh token/,
    );
    assert.match(c.problem!.todo, /Reconnect/);

    // Known dead: the next check does not even try.
    const before = world.sandbox.log.count();
    assert.equal(connection(await health.check()).state, 'needsReconnect');
    assert.equal(world.sandbox.log.count(), before);

    await world.oauth();
    assert.equal(
      connection(health.snapshot()).state,
      'checking',
      'a reconnect forgets the old failure and checks again',
    );
    assert.equal(connection(await health.check()).state, 'connected');
  });

  it('rate limited: the wait and a retry; the issue list reports it too, and a success clears it', async () => {
    const info = await world.apiToken();
    const fault = world.sandbox.faults.add({ kind: 'rateLimit', path: '**/myself', retryAfterSeconds: 30 });
    const snapshot = await health.check();
    const c = connection(snapshot);
    assert.equal(snapshot.overall, 'rateLimited');
    assert.equal(c.state, 'rateLimited');
    assert.match(c.summary, /^rate limited · retry in (29|30) s$/);
    assert.equal(c.action?.kind, 'retry');
    assert.match(c.problem!.todo, /Wait 30 s, then retry/);
    world.sandbox.faults.remove(fault);

    assert.equal(connection(await health.check()).state, 'connected');
    health.noteApiOutcome(info.id, new AtlassianError('bad JQL', { kind: 'badRequest', host: 'h' }));
    assert.equal(connection(health.snapshot()).state, 'connected', 'a refused query says nothing about the connection');
    health.noteApiOutcome(
      info.id,
      new AtlassianError('limited', { kind: 'rateLimited', host: 'h', retryAfterSeconds: 12 }),
    );
    assert.equal(health.snapshot().overall, 'rateLimited');
    health.noteApiOutcome(info.id, undefined);
    assert.equal(health.snapshot().overall, 'connected');
  });

  it('unreachable when the site drops the connection', async () => {
    await world.apiToken();
    world.sandbox.faults.add({ kind: 'drop', path: '**/myself' });
    const c = connection(await health.check());
    assert.equal(c.state, 'unreachable');
    assert.match(c.problem!.todo, /network, VPN or proxy/);
  });

  it('the local bridge: published, running with its tool count, and its settings', async () => {
    await world.apiToken();
    assert.equal(health.snapshot().bridge.state, 'notStarted');
    bridgeTools = 22;
    const bridge = health.snapshot().bridge;
    assert.equal(bridge.summary, 'running · 22 tools');
    assert.match(bridge.checks.find((c) => c.id === 'settings')!.value, /read-only · default toolsets · projects ENG/);
  });

  it('remote servers: reachable with tools and latency, a followed redirect, a refused one (missing trailing slash), a misconfigured URL', async () => {
    await world.oauth();
    remotes = [
      { label: 'Good', url: `${upstream.origin}/mcp/` },
      { label: 'Moved', url: `${upstream.origin}/old` },
      { label: 'No slash', url: `${upstream.origin}/mcp` },
      { label: 'Plain', url: 'http://mcp.example.com/mcp/' },
    ];
    const snapshot = await health.check();

    const good = remote(snapshot, 'Good');
    assert.equal(good.state, 'ok');
    assert.match(good.summary, /^ok · 2 tools · \d+ ms$/);
    assert.deepEqual(
      good.checks.map((c) => c.label),
      ['URL', 'TLS', 'Reachable', 'MCP initialize', 'Tools'],
    );
    assert.match(
      good.checks.find((c) => c.id === 'initialize')!.value,
      /^test-mcp-atlassian 9\.8\.7 · protocol [\d-]+ · \d+ ms$/,
    );

    const moved = remote(snapshot, 'Moved');
    assert.equal(moved.state, 'redirect');
    assert.equal(moved.summary, 'works, but redirects · 2 tools');
    assert.match(moved.checks.find((c) => c.label === 'Redirect')!.value, /^308 .*\/old → .*\/mcp\/ \(followed\)$/);

    const slash = remote(snapshot, 'No slash');
    assert.equal(slash.state, 'error');
    assert.equal(slash.summary, 'redirect refused');
    assert.match(slash.problem!.what, /with the trailing slash/);
    assert.deepEqual(slash.action, { kind: 'openSettings', setting: 'atlassianMcpBridge.remoteServers' });

    const plain = remote(snapshot, 'Plain');
    assert.equal(plain.state, 'misconfigured');
    assert.match(plain.problem!.what, /must use https/);
  });

  it('a remote that speaks only MCP 2026-07-28: shown as such, with a note that this VS Code cannot use it yet', async () => {
    await world.oauth();
    upstream.routes.set('/modern-only/', modernMcpRoute('reject'));
    upstream.routes.set('/both-eras/', modernMcpRoute('stateless'));
    remotes = [
      { label: 'Modern only', url: `${upstream.origin}/modern-only/` },
      { label: 'Both eras', url: `${upstream.origin}/both-eras/` },
    ];
    const snapshot = await health.check();

    const modern = remote(snapshot, 'Modern only');
    assert.equal(modern.state, 'error');
    assert.equal(modern.summary, 'MCP 2026-07-28 only');
    const era = modern.checks.find((c) => c.id === 'era')!;
    assert.equal(era.value, '2026-07-28 only');
    assert.match(modern.problem!.what, /speaks only MCP 2026-07-28.*cannot use this server yet/);
    assert.match(modern.problem!.todo, /VS Code version that speaks MCP 2026-07-28/);

    const both = remote(snapshot, 'Both eras');
    assert.equal(both.state, 'ok');
    assert.match(both.summary, /^ok · 1 tool/);
    assert.equal(
      both.checks.find((c) => c.id === 'era'),
      undefined,
    );
  });

  it('the diagnostics report for a misconfigured remote URL: problems first, in plain words, with what to do, and no secret', async () => {
    const info = await world.oauth();
    remotes = [{ label: 'Self-hosted', url: `${upstream.origin}/mcp` }];
    // A server that echoes the credentials it got in an error page.
    upstream.routes.set(
      '/echo/',
      (req, res) =>
        void res.writeHead(403, { 'content-type': 'text/plain' }).end(`denied for ${req.headers.authorization}`),
    );
    remotes.push({ label: 'Echo', url: `${upstream.origin}/echo/` });
    world.sandbox.clock.advance(2 * 3600_000); // the next call refreshes: rotated tokens must be scrubbed too
    const snapshot = await health.check();
    const report = scrubReport(
      buildDiagnosticsReport({
        snapshot,
        environment: { extensionVersion: '0.1.0', editor: 'code-server 1.139.1', runtime: 'linux x64, Node 24' },
        issueLists: [{ connection: 'Acme Corp', filter: 'Assigned to me', result: '100 of 334 issues' }],
        settingsProblems: [],
        generatedAt: world.sandbox.clock.now(),
      }),
      await world.knownSecrets(),
    );

    assert.match(report, /^# Atlassian MCP Bridge diagnostics\n/);
    const summary = report.slice(report.indexOf('## Summary'), report.indexOf('## Connections'));
    assert.match(summary, /\*\*Overall:\*\* connected · 2 problems found/);
    assert.equal(summary.match(/^### /gm)?.length, 2, 'each failure once');
    assert.match(
      summary,
      /### 1\. ❌ Remote MCP server "Self-hosted": redirect refused\n\n\*\*What happened:\*\* The server redirects .*\/mcp to .*\/mcp\/ with 301, which would turn this POST into a GET and lose the MCP message; set the server's URL to .*\/mcp\/ \(with the trailing slash\)\.\n\n\*\*What to do:\*\* Change the "url" of "Self-hosted"/,
    );
    assert.match(
      summary,
      /### 2\. ❌ Remote MCP server "Echo": failing\n\n\*\*What happened:\*\* The MCP server at .*\/echo\/ refused the request \(HTTP 403\): denied for (Bearer )?\[redacted\]\n\n\*\*What to do:\*\* The server refused your Atlassian credentials/,
    );
    assert.match(report, /### Acme Corp \(connected · \d+ ms\)/);
    assert.match(report, new RegExp(`\\| ℹ️ Cloud ID \\| ${info.cloudId} \\|`), 'cloud ids are kept');
    assert.match(report, /## Local MCP bridge \(not started\)/);
    assert.match(report, /\| Acme Corp \| Assigned to me \| 100 of 334 issues \|/);

    const secrets = await world.knownSecrets();
    assert.ok(secrets.length >= 8);
    for (const secret of secrets) assert.ok(!report.includes(secret), `secret leaked: ${secret.slice(0, 6)}…`);
    assert.ok(!/Bearer (?!\[redacted\])/.test(report));
  });

  it('scrubReport removes anything shaped like a credential but keeps ids', () => {
    const cloudId = '6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7';
    const text = [
      'Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345',
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl',
      `token ${FAKE_API_TOKEN}`,
      'url https://ada:hunter22@mcp.example.com/mcp/',
      'route http://127.0.0.1:4000/r/AbCdEfGhIjKlMnOpQrStUvWxYz012345-_/',
      'opaque 9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928',
      `cloud ${cloudId} account 712020:aa11bb22-0001-4c3d-9e8f-000000000001`,
      'known s3cret-value and s3cret%2Bvalue',
      'words read:confluence-content.all /rest/api/3/search/approximate-count',
    ].join('\n');
    const out = scrubReport(text, ['s3cret-value', 's3cret+value']);
    assert.deepEqual(out.split('\n'), [
      'Authorization: Bearer [redacted]',
      'jwt [redacted]',
      'token [redacted]',
      'url https://[redacted]@mcp.example.com/mcp/',
      'route http://127.0.0.1:4000/r/[redacted]/',
      'opaque [redacted]',
      `cloud ${cloudId} account 712020:aa11bb22-0001-4c3d-9e8f-000000000001`,
      'known [redacted] and [redacted]',
      'words read:confluence-content.all /rest/api/3/search/approximate-count',
    ]);
  });
});

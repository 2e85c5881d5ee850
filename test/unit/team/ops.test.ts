// The team server's operable pieces: readiness against a real PostgreSQL (up, then stopped), the
// Prometheus exposition, JSON logs through the redactor, and upstream traffic through fair share.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretRedactor } from '../../../src/core/redact';
import { FairShareScheduler } from '../../../src/team/ops/fairShare';
import { Health } from '../../../src/team/ops/health';
import { createJsonLogger } from '../../../src/team/ops/jsonLog';
import { TeamMetrics } from '../../../src/team/ops/metrics';
import { teamUpstreamFetch } from '../../../src/team/ops/upstreamFetch';
import { KeyRing } from '../../../src/team/vault/keyRing';
import { openPostgresStore } from '../../../src/team/vault/postgresStore';
import { startPostgres } from '../../harness/postgres';
import { startSandbox } from '../../sandbox/index';

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>) {
  const server: Server = createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('Team server operations', function () {
  this.timeout(60_000);

  it('/healthz always; /readyz follows the database and the key, and turns 503 while draining', async () => {
    const pg = await startPostgres();
    const store = await openPostgresStore({ connectionString: pg.connectionString, connectionTimeoutMillis: 1000 });
    const keys = KeyRing.parse(KeyRing.generateLine('k1'));
    const health = new Health({
      database: () => store.ping(),
      vaultKey: () => void keys.open(keys.seal('probe', 'readyz'), 'readyz'),
    });
    const http = await serve((req, res) => health.handle(req, res));
    try {
      const ready = await fetch(`${http.base}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ok', checks: { database: 'ok', vaultKey: 'ok' } });

      await pg.stop();
      const down = await fetch(`${http.base}/readyz`);
      assert.equal(down.status, 503);
      const body = (await down.json()) as { checks: Record<string, string> };
      assert.notEqual(body.checks.database, 'ok');
      assert.equal(body.checks.vaultKey, 'ok');
      assert.equal((await fetch(`${http.base}/healthz`)).status, 200, 'alive even when not ready');

      health.drain();
      assert.equal((await fetch(`${http.base}/readyz`)).status, 503);
    } finally {
      await http.close();
      await store.close().catch(() => undefined);
      await pg.stop();
    }
  });

  it('metrics: calls by tool and outcome, latency, upstream statuses and 429s, refreshes, active users', async () => {
    let now = 0;
    const metrics = new TeamMetrics(() => now);
    metrics.toolCall('ada', 'jira_search', 'ok', 0.2);
    metrics.toolCall('grace', 'jira_search', 'rate_limited', 1.5);
    metrics.upstreamResponse(200);
    metrics.upstreamResponse(429, 'jira-burst-based');
    metrics.refresh('refreshed');
    const { contentType, body } = await metrics.exposition();
    assert.match(contentType, /^text\/plain/);
    assert.match(body, /amb_team_tool_calls_total\{tool="jira_search",outcome="ok"\} 1/);
    assert.match(body, /amb_team_tool_calls_total\{tool="jira_search",outcome="rate_limited"\} 1/);
    assert.match(body, /amb_team_tool_call_duration_seconds_bucket\{le="0.25",tool="jira_search"\} 1/);
    assert.match(body, /amb_team_upstream_responses_total\{status="429"\} 1/);
    assert.match(body, /amb_team_upstream_rate_limited_total\{reason="jira-burst-based"\} 1/);
    assert.match(body, /amb_team_token_refreshes_total\{outcome="refreshed"\} 1/);
    assert.match(body, /amb_team_active_users 2/);
    assert.doesNotMatch(body, /ada|grace/, 'no person in any label');
    now += 16 * 60_000;
    assert.match((await metrics.exposition()).body, /amb_team_active_users 0/);
  });

  it('JSON log lines: one object a line, tokens redacted', () => {
    const lines: string[] = [];
    const redactor = new SecretRedactor();
    redactor.add('atlassian-access-token-123456');
    const log = createJsonLogger((line) => lines.push(line), redactor, { now: () => 0, fields: { replica: 'r1' } });
    log.info('refreshed %s with %s', 'ada', 'atlassian-access-token-123456');
    log.warn('header was Authorization: Bearer abcdefghijkl');
    log.debug('not shown at info');
    assert.equal(lines.length, 2);
    const first = JSON.parse(lines[0]!) as Record<string, string>;
    assert.deepEqual(first, {
      time: '1970-01-01T00:00:00.000Z',
      level: 'info',
      replica: 'r1',
      msg: 'refreshed ada with [redacted]',
    });
    assert.doesNotMatch(lines.join(''), /atlassian-access-token|abcdefghijkl/);
  });

  it('upstream fetch: counts statuses, and a 429 pauses the team until Retry-After', async () => {
    const sandbox = await startSandbox();
    try {
      let now = 0;
      const paused: number[] = [];
      const scheduler = new FairShareScheduler({
        concurrency: 2,
        now: () => now,
        timers: { setTimeout: (_fn, ms) => paused.push(ms), clearTimeout: () => undefined },
      });
      const metrics = new TeamMetrics();
      const ada = teamUpstreamFetch('ada', { scheduler, metrics });
      const token = sandbox.tokens.issue({ scopes: ['read:me'] }).access_token;
      sandbox.faults.add({ kind: 'rateLimit', path: '/api/me', times: 1, retryAfterSeconds: 7 });
      const me = `${sandbox.discovery.apiBaseUrl}/me`;
      assert.equal((await ada(me, { headers: { Authorization: `Bearer ${token}` } })).status, 429);
      assert.deepEqual(paused, [7000]);
      now = 7000;
      assert.equal((await ada(me, { headers: { Authorization: `Bearer ${token}` } })).status, 200);
      const { body } = await metrics.exposition();
      assert.match(body, /amb_team_upstream_responses_total\{status="429"\} 1/);
      assert.match(body, /amb_team_upstream_responses_total\{status="200"\} 1/);
    } finally {
      await sandbox.close();
    }
  });
});

// The compact version of `npm run bench:team` (bench/team/scale.ts): 2 real replicas with --auth oauth
// on PostgreSQL behind HAProxy, 10 people signed in through the OAuth flow, 20 MCP SDK v2 clients of
// both eras calling through an Atlassian token expiry, a rolling restart (SIGTERM, drain, start
// again) and a hard kill of the other replica. The goals are the benchmark's.
import assert from 'node:assert/strict';
import { runTeamScale } from '../../../bench/team/scale';

describe('Team server at small scale (2 replicas, 20 clients, HAProxy, PostgreSQL)', function () {
  this.timeout(120_000);

  it('no failed call through expiry and restart; a hard kill fails at most its calls in flight, retryably; one refresh per person', async () => {
    const result = await runTeamScale({
      replicas: 2,
      users: 10,
      clients: 20,
      storage: 'postgres',
      driveSeconds: 12,
      restart: true,
      hardKill: true,
    });
    const figures = JSON.stringify(result, null, 2);
    assert.equal(result.users, 10, figures);
    assert.equal(result.concurrent_clients, 20, figures);
    assert.deepEqual(result.clients_by_era, { '2026-07-28': 10, '2025-11-25': 10 }, figures);
    assert.ok(result.calls > 100, figures);
    assert.equal(result.failed_calls, 0, figures);
    assert.equal(result.wrong_identity, 0, figures);
    assert.equal(result.restarted_exit_code, 0, `the drained replica exits 0: ${figures}`);
    assert.equal(result.replicas_killed, 1, figures);
    assert.ok(result.in_flight_on_killed > 0, `the kill hit calls in flight: ${figures}`);
    assert.ok(result.failed_after_hard_kill <= result.in_flight_on_killed, figures);
    assert.equal(result.hard_kill_errors_retryable, true, figures);
    assert.equal(result.refreshes_per_user_max, 1, `one Atlassian refresh per person per expiry: ${figures}`);
    assert.equal(result.refreshes_per_user_min, 1, figures);
  });
});

// deploy/haproxy/haproxy.cfg against the bridge it fronts: the settings the team benchmark showed to
// matter (docs/team-server.md, section 7) stay in place, and its per-replica cap stays below the
// connection limit the bridge enforces, even when HAProxy overshoots it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMITS } from '../../../src/bridge/httpGuards';
import { DEPLOYED_CONFIG, HAPROXY, haproxyConfig } from '../../harness/loadBalancer';

/** The config's lines, comments and indentation dropped. */
const lines = () =>
  readFileSync(DEPLOYED_CONFIG, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);

describe('deploy/haproxy/haproxy.cfg', () => {
  it('caps each replica so that twice its cap plus health checks stays below the bridge’s busy limit', () => {
    const defaults = lines().find((line) => line.startsWith('default-server '))!;
    const maxconn = Number(/\bmaxconn (\d+)/.exec(defaults)?.[1]);
    // HAProxy up to 3.0 may send a server that has just come back up twice its maxconn (haproxy#2744).
    assert.ok(
      maxconn > 0 && 2 * maxconn + 2 < LIMITS.busyConnections,
      `maxconn ${maxconn}, limit ${LIMITS.busyConnections}`,
    );
  });

  it('takes a dead replica out at its first refused connection, and checks /readyz', () => {
    const all = lines();
    const defaults = all.find((line) => line.startsWith('default-server '))!;
    assert.match(defaults, /\bobserve layer4\b/);
    assert.match(defaults, /\berror-limit 1\b/);
    assert.match(defaults, /\bon-error mark-down\b/);
    assert.ok(all.includes('option httpchk GET /readyz'));
    assert.ok(all.includes('http-check expect status 200'));
  });

  it('retries only what no replica started, on another replica; a new server connection per request', () => {
    const all = lines();
    // empty-response, junk-response or response-timeout would replay a tool call a replica may have run.
    assert.deepEqual(
      all.filter((line) => line.startsWith('retry-on ')),
      ['retry-on conn-failure 503'],
    );
    assert.ok(all.includes('option redispatch 1'));
    assert.ok(all.includes('option http-server-close'));
    assert.ok(all.includes('option http-buffer-request'), 'a 503 can be retried only with the request buffered');
  });

  it('is what the harness runs, and HAProxy accepts it', function () {
    const config = haproxyConfig(41000, 41001, [42000, 42001]);
    assert.match(config, /^\s*server r0 127\.0\.0\.1:42000 check$/m);
    assert.match(config, /^\s*server r1 127\.0\.0\.1:42001 check$/m);
    assert.doesNotMatch(config, /10\.0\.0\.\d+/, 'the example addresses are replaced');
    for (const line of lines().filter((l) => !/^(bind|server) /.test(l))) assert.ok(config.includes(line), line);
    const check = spawnSync(HAPROXY, ['-v']);
    if (check.error) return this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'amb-haproxy-check-'));
    try {
      writeFileSync(join(dir, 'haproxy.cfg'), config);
      const result = spawnSync(HAPROXY, ['-c', '-f', join(dir, 'haproxy.cfg')], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stdout + result.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

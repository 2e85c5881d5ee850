// A real load balancer for tests and the team benchmark: Debian's HAProxy (scripts/toolchain.sh
// installs it) on a free 127.0.0.1 port in front of bridge replicas, running the configuration
// operators are given, deploy/haproxy/haproxy.cfg (its comments say why each setting is there), with
// loopback addresses in place of its `bind` and `server` lines, only abnormal sessions logged, and a
// statistics page (CSV) that tells how many requests each replica has in flight.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, spawnGroup } from './process';

export interface LoadBalancer {
  /** http://127.0.0.1:port, what clients reach. */
  readonly origin: string;
  /** Per replica (`r0`, `r1`, …): HAProxy's statistics for it. */
  servers(): Promise<Map<string, ServerStats>>;
  /** HAProxy's log of abnormal sessions (errors, aborts, retries, redispatches) and server state changes. */
  log(): string;
  /** Resolves once HAProxy's health check has the replica in (or out of) rotation. */
  waitFor(server: string, up: boolean): Promise<void>;
  stop(): Promise<void>;
}

export interface ServerStats {
  /** Requests on it now (scur). */
  readonly inFlight: number;
  /** Requests ever sent its way (stot), and of those the ones whose connection failed (econ: retried elsewhere). */
  readonly sessions: number;
  readonly connectionErrors: number;
  /** In rotation. */
  readonly up: boolean;
}

export const HAPROXY = '/usr/sbin/haproxy';

/** What operators deploy; the harness runs it. */
export const DEPLOYED_CONFIG = resolve(__dirname, '..', '..', 'deploy', 'haproxy', 'haproxy.cfg');

/** deploy/haproxy/haproxy.cfg on loopback: its own frontend port, these replicas, a statistics page. */
export function haproxyConfig(frontPort: number, statsPort: number, backends: readonly number[]): string {
  const deployed = readFileSync(DEPLOYED_CONFIG, 'utf8');
  const servers = backends.map((port, i) => `  server r${i} 127.0.0.1:${port} check`).join('\n');
  const local = deployed
    .replace(/^\s*bind .*$/m, `  bind 127.0.0.1:${frontPort}`)
    .replace(/^\s*server .*\n?/gm, '')
    .replace(/^(\s*default-server .*)$/m, `$1\n${servers}`)
    .replace(/^(\s*option httplog)$/m, '$1\n  option dontlog-normal');
  return `${local.trimEnd()}

frontend stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
`;
}

/** `frontPort`: when the replicas must know the public origin before HAProxy starts (TEAM_PUBLIC_URL). */
export async function startLoadBalancer(
  backends: readonly number[],
  options: { frontPort?: number } = {},
): Promise<LoadBalancer> {
  const dir = mkdtempSync(join(tmpdir(), 'amb-haproxy-'));
  const [frontPort, statsPort] = [options.frontPort ?? (await freePort()), await freePort()];
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig(frontPort, statsPort, backends));
  if (!existsSync(HAPROXY))
    throw new Error('HAProxy is not installed: run scripts/toolchain.sh as root (apt-get install haproxy).');
  const haproxy = spawnGroup(HAPROXY, ['-db', '-f', config]);
  const stats = `http://127.0.0.1:${statsPort}/stats;csv`;
  const servers = async () => {
    const rows = (await (await fetch(stats)).text()).split('\n').map((line) => line.split(','));
    const header = rows[0]!.map((h) => h.replace(/^# /, ''));
    const column = (name: string) => header.indexOf(name);
    const found = new Map<string, ServerStats>();
    for (const row of rows.slice(1))
      if (row[column('pxname')] === 'replicas' && /^r\d+$/.test(row[column('svname')] ?? ''))
        found.set(row[column('svname')]!, {
          inFlight: Number(row[column('scur')]),
          sessions: Number(row[column('stot')]),
          connectionErrors: Number(row[column('econ')]),
          up: row[column('status')]!.startsWith('UP'),
        });
    return found;
  };
  // Up once the stats page answers and every replica passed its first check.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ready = await servers().then(
      (s) => s.size === backends.length && [...s.values()].every((v) => v.up),
      () => false,
    );
    if (ready) break;
    if (haproxy.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`HAProxy did not come up:\n${haproxy.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    origin: `http://127.0.0.1:${frontPort}`,
    servers,
    log: () => haproxy.output(),
    async waitFor(server, up) {
      while ((await servers()).get(server)?.up !== up) await new Promise((resolve) => setTimeout(resolve, 50));
    },
    async stop() {
      await haproxy.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

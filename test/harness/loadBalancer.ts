// A real load balancer for tests and the team benchmark: Debian's HAProxy (scripts/toolchain.sh
// installs it) on a free 127.0.0.1 port in front of bridge replicas, configured the way a team would
// put one in front of the team server:
//   - health checks on /readyz every 500 ms (two failures take a replica out), so a draining replica
//     (503) leaves the rotation;
//   - a request a replica refused before doing anything (connection refused, or 503 while it drains)
//     is retried on another replica; one that reached a replica which then died is not (a tool call
//     may have had an effect), and the client gets a 502 to retry itself;
//   - a new server connection per request (http-server-close), so no request is sent on a kept-alive
//     connection a draining replica is closing at that moment;
//   - at most `maxConnPerServer` requests per replica (the bridge accepts 64 connections), the rest queue.
// Its statistics page (CSV) tells how many requests each replica has in flight.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnGroup } from './process';

export interface LoadBalancer {
  /** http://127.0.0.1:port, what clients reach. */
  readonly origin: string;
  /** Per replica (`r0`, `r1`, …): requests in flight and whether HAProxy has it UP. */
  servers(): Promise<Map<string, { inFlight: number; up: boolean }>>;
  /** Resolves once HAProxy's health check has the replica in (or out of) rotation. */
  waitFor(server: string, up: boolean): Promise<void>;
  stop(): Promise<void>;
}

export const HAPROXY = '/usr/sbin/haproxy';

export function haproxyConfig(
  frontPort: number,
  statsPort: number,
  backends: readonly number[],
  maxConnPerServer = 48,
) {
  return `global
  maxconn 8192

defaults
  mode http
  timeout connect 2s
  timeout client 120s
  timeout server 120s
  timeout queue 120s
  timeout check 3s
  timeout http-keep-alive 10s
  option http-buffer-request
  option http-server-close
  retries 3
  option redispatch 1
  retry-on conn-failure 503

frontend mcp
  bind 127.0.0.1:${frontPort}
  default_backend replicas

backend replicas
  balance leastconn
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 500ms fastinter 250ms downinter 250ms fall 2 rise 1 maxconn ${maxConnPerServer}
${backends.map((port, i) => `  server r${i} 127.0.0.1:${port} check`).join('\n')}

frontend stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
`;
}

/** `frontPort`: when the replicas must know the public origin before HAProxy starts (TEAM_PUBLIC_URL). */
export async function startLoadBalancer(
  backends: readonly number[],
  options: { frontPort?: number; maxConnPerServer?: number } = {},
): Promise<LoadBalancer> {
  const { maxConnPerServer } = options;
  const dir = mkdtempSync(join(tmpdir(), 'amb-haproxy-'));
  const [frontPort, statsPort] = [options.frontPort ?? (await freePort()), await freePort()];
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig(frontPort, statsPort, backends, maxConnPerServer));
  if (!existsSync(HAPROXY))
    throw new Error('HAProxy is not installed: run scripts/toolchain.sh as root (apt-get install haproxy).');
  const haproxy = spawnGroup(HAPROXY, ['-db', '-f', config]);
  const stats = `http://127.0.0.1:${statsPort}/stats;csv`;
  const servers = async () => {
    const rows = (await (await fetch(stats)).text()).split('\n').map((line) => line.split(','));
    const header = rows[0]!.map((h) => h.replace(/^# /, ''));
    const column = (name: string) => header.indexOf(name);
    const found = new Map<string, { inFlight: number; up: boolean }>();
    for (const row of rows.slice(1))
      if (row[column('pxname')] === 'replicas' && /^r\d+$/.test(row[column('svname')] ?? ''))
        found.set(row[column('svname')]!, {
          inFlight: Number(row[column('scur')]),
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
    async waitFor(server, up) {
      while ((await servers()).get(server)?.up !== up) await new Promise((resolve) => setTimeout(resolve, 50));
    },
    async stop() {
      await haproxy.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

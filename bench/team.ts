// `npm run bench:team`: the team server proved at scale on this machine (bench/team/scale.ts): 3
// replicas on PostgreSQL behind HAProxy, 50 people signed in through the OAuth flow, 500 concurrent
// MCP clients (both eras) through an Atlassian token expiry, a rolling restart and a hard kill; then
// the same load on one replica with SQLite for comparison. Writes bench/team-results.json.
//   npm run bench:team [-- --replicas 3 --users 50 --clients 500 --seconds 40]
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runTeamScale, type ScaleResult } from './team/scale';

const { values } = parseArgs({
  options: {
    replicas: { type: 'string', default: '3' },
    users: { type: 'string', default: '50' },
    clients: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '40' },
  },
});
const replicas = Number(values.replicas);
const users = Number(values.users);
const clients = Number(values.clients);
const driveSeconds = Number(values.seconds);

function goals(r: ScaleResult) {
  return {
    failed_calls_zero: r.failed_calls === 0,
    wrong_identity_zero: r.wrong_identity === 0,
    hard_kill_within_in_flight: r.failed_after_hard_kill <= r.in_flight_on_killed && r.hard_kill_errors_retryable,
    one_refresh_per_user_per_expiry: r.refreshes_per_user_max === r.token_expiries,
  };
}

async function main() {
  const progress = (line: string) => console.log(`[bench:team] ${line}`);
  const started = new Date();
  progress(`PostgreSQL, ${replicas} replicas, ${users} people, ${clients} clients, ${driveSeconds} s`);
  const postgres = await runTeamScale({
    replicas,
    users,
    clients,
    storage: 'postgres',
    driveSeconds,
    restart: replicas > 1,
    hardKill: replicas > 1,
    progress,
  });
  progress(JSON.stringify(postgres));
  progress(
    `SQLite, 1 replica, ${users} people, ${clients} clients, ${driveSeconds} s (no restart or kill: it is the only one)`,
  );
  const sqlite = await runTeamScale({
    replicas: 1,
    users,
    clients,
    storage: 'sqlite',
    driveSeconds,
    restart: false,
    hardKill: false,
    progress,
  });
  progress(JSON.stringify(sqlite));
  const results = {
    generated_at: started.toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    ...postgres,
    goals: goals(postgres),
    sqlite_one_replica: { ...sqlite, goals: goals(sqlite) },
  };
  writeFileSync(join(__dirname, 'team-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  progress(`wrote bench/team-results.json; goals ${JSON.stringify(results.goals)}`);
  if (!Object.values(results.goals).every(Boolean)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

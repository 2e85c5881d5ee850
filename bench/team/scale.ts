// The team server at scale on this machine, shared by `npm run bench:team` (bench/team.ts) and its
// compact version in the unit tests (test/unit/team/teamScale.test.ts): PostgreSQL (or SQLite for one
// replica), N real bridge replicas with --auth oauth behind HAProxy, the sandbox as Atlassian with
// short token lifetimes. People sign in through the real OAuth flow over HTTP (register → authorize →
// the sandbox's consent → callback → our consent page → token); then MCP SDK v2 clients of both eras
// call a tool in a loop while Atlassian's access tokens expire, one replica is restarted (SIGTERM,
// drain, start again) and another is killed (SIGKILL).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startLoadBalancer } from '../../test/harness/loadBalancer';
import { startPostgres } from '../../test/harness/postgres';
import { freePort } from '../../test/harness/process';
import { extraPeople, USERS, type SandboxUser } from '../../test/sandbox/data/users';
import { startSandbox, type Sandbox } from '../../test/sandbox/index';
import { bridgeBundle } from '../../test/unit/bridge/harness';
import { teamEnv } from '../../test/unit/team/teamBridge';
import { CLIENT_REDIRECT, personSignsIn } from '../../test/unit/team/teamFixture';
import { startReplica, type Replica } from './replica';

export interface ScaleOptions {
  readonly replicas: number;
  readonly users: number;
  readonly clients: number;
  readonly storage: 'postgres' | 'sqlite';
  readonly driveSeconds: number;
  /** SIGTERM one replica mid-run, then start it again. */
  readonly restart: boolean;
  /** SIGKILL another replica later (it stays down). */
  readonly hardKill: boolean;
  readonly progress?: (line: string) => void;
}

export interface ScaleResult {
  replicas: number;
  storage: 'postgres' | 'sqlite';
  users: number;
  concurrent_clients: number;
  clients_by_era: Record<Era, number>;
  sign_in_s: number;
  drive_s: number;
  token_expiries: number;
  calls: number;
  /** Failures outside the hard kill's calls in flight (goal 0). */
  failed_calls: number;
  failures_sample: string[];
  /** Answers naming another person than the caller (goal 0). */
  wrong_identity: number;
  replicas_restarted: number;
  restarted_exit_code: number | null;
  replicas_killed: number;
  in_flight_on_killed: number;
  failed_after_hard_kill: number;
  hard_kill_errors_retryable: boolean;
  hard_kill_errors_sample: string[];
  /** HAProxy's log lines of sessions that ended in an error (its termination state, status ≥ 500). */
  load_balancer_errors: string[];
  refreshes_per_user_max: number;
  refreshes_per_user_min: number;
  throughput_calls_per_s: number;
  p50_ms: number;
  p99_ms: number;
}

type Era = '2026-07-28' | '2025-11-25';
interface Call {
  start: number;
  end: number;
  error?: string;
}

const ACCESS_TOKEN_TTL_S = 300;
/** What a client sees when the replica serving its call dies: a gateway error or a dropped connection, both worth retrying. */
const RETRYABLE =
  /\b50[23]\b|Bad Gateway|Service Unavailable|fetch failed|ECONNRESET|socket hang up|other side closed/i;

export async function runTeamScale(options: ScaleOptions): Promise<ScaleResult> {
  const say = options.progress ?? (() => undefined);
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const people = [...USERS, ...extraPeople(Math.max(0, options.users - USERS.length))].slice(0, options.users);
    const sandbox = await startSandbox({
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL_S,
      extraPeople: people.length - Math.min(people.length, USERS.length),
    });
    cleanup.push(() => sandbox.close());
    const pg = options.storage === 'postgres' ? await startPostgres() : undefined;
    if (pg) cleanup.push(() => pg.stop());
    const dir = mkdtempSync(join(tmpdir(), 'amb-team-bench-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));

    const frontPort = await freePort();
    const origin = `http://127.0.0.1:${frontPort}`;
    const env = {
      ...inheritedEnv(),
      ...teamEnv(sandbox, origin, dir, {
        ...(pg ? { TEAM_DATABASE_URL: pg.connectionString } : {}),
        MCP_SHUTDOWN_GRACE_SECONDS: '25', // as deployed (deploy/kubernetes/configmap.yaml)
      }),
    };
    const bundle = await bridgeBundle();
    const ports = await Promise.all(Array.from({ length: options.replicas }, () => freePort()));
    const replicas: Replica[] = await Promise.all(ports.map((port, i) => startReplica(bundle, `r${i}`, port, env)));
    cleanup.push(async () => {
      for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGTERM');
      await Promise.all(replicas.map((r) => r.exited));
    });
    const lb = await startLoadBalancer(ports, { frontPort });
    cleanup.push(() => lb.stop());
    say(`${options.replicas} replica(s) on ${options.storage} behind HAProxy at ${origin}`);

    const signInStarted = performance.now();
    const tokens = await inBatches(people, 10, (person, i) => signIn(sandbox, origin, person, i));
    const signInSeconds = (performance.now() - signInStarted) / 1000;
    say(`${people.length} people signed in through the OAuth flow in ${signInSeconds.toFixed(1)} s`);

    const byEra: Record<Era, number> = { '2026-07-28': 0, '2025-11-25': 0 };
    const clients = await inBatches(
      Array.from({ length: options.clients }, (_, i) => i),
      25,
      async (i) => {
        const era: Era = i % 2 === 0 ? '2026-07-28' : '2025-11-25';
        byEra[era]++;
        const person = people[i % people.length]!;
        const client = new Client(
          { name: `bench-${era}-${i}`, version: '1.0.0' },
          era === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
        );
        const token = tokens[i % people.length]!;
        await client.connect(
          new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), { authProvider: { token: async () => token } }),
        );
        return { client, person };
      },
    );
    cleanup.push(() => Promise.all(clients.map(({ client }) => client.close().catch(() => undefined))));
    say(
      `${clients.length} MCP clients connected (${byEra['2026-07-28']} 2026-07-28, ${byEra['2025-11-25']} 2025-11-25)`,
    );

    // ---- the drive ----
    const calls: Call[] = [];
    let wrongIdentity = 0;
    let running = true;
    const t0 = performance.now();
    const at = (fraction: number) => sleepUntil(t0 + fraction * options.driveSeconds * 1000);
    const loops = clients.map(async ({ client, person }) => {
      while (running) {
        const call: Call = { start: performance.now(), end: 0 };
        try {
          const result = (await client.callTool({
            name: 'jira_get_user_profile',
            arguments: { user_identifier: 'me' },
          })) as {
            isError?: boolean;
            content: { text?: string }[];
          };
          const text = result.content.map((c) => c.text ?? '').join('\n');
          if (result.isError) call.error = `tool error: ${text}`;
          else if ((JSON.parse(text) as { account_id?: string }).account_id !== person.accountId) {
            wrongIdentity++;
            call.error = 'answer for another person';
          }
        } catch (err) {
          call.error = errorText(err);
        }
        call.end = performance.now();
        calls.push(call);
      }
    });

    await at(0.15);
    sandbox.tokens.expireAccessTokens();
    say(`${ms(t0)}: every Atlassian access token expired`);

    let restartedExit: number | null = null;
    if (options.restart) {
      await at(0.35);
      const victim = replicas[0]!;
      victim.child.kill('SIGTERM');
      restartedExit = await victim.exited;
      say(`${ms(t0)}: r0 drained after SIGTERM and exited ${restartedExit}; starting it again`);
      replicas[0] = await startReplica(bundle, 'r0', victim.port, env);
      await lb.waitFor('r0', true);
      say(`${ms(t0)}: r0 back in rotation`);
    }

    // The kill's window: from the signal to the process's exit (on a loaded machine up to a few hundred
    // ms). Until HAProxy takes the replica out it may still send it requests: when the dying process's
    // connections close, queued requests take their slots and can reach a listener not yet closed.
    // Those were on the replica when it died too, so they count as in flight on it.
    let killedAt = Infinity;
    let diedAt = Infinity;
    let inFlightOnKilled = 0;
    if (options.hardKill) {
      await at(0.65);
      const victim = replicas.at(-1)!;
      const stats = async () => (await lb.servers()).get(victim.name)!;
      const before = await stats();
      killedAt = performance.now();
      victim.child.kill('SIGKILL');
      let exited = false;
      void victim.exited.then(() => (exited = true));
      let most = before.inFlight;
      while (!exited) most = Math.max(most, (await stats()).inFlight);
      diedAt = performance.now();
      await lb.waitFor(victim.name, false);
      const after = await stats();
      const sentSince = after.sessions - before.sessions - (after.connectionErrors - before.connectionErrors);
      inFlightOnKilled = Math.max(most, before.inFlight + sentSince);
      say(
        `${ms(t0)}: ${victim.name} killed with ${inFlightOnKilled} request(s) on it (${before.inFlight} at the signal, ${sentSince} sent it since; it exited ${Math.round(diedAt - killedAt)} ms after the signal)`,
      );
    }

    await at(1);
    running = false;
    await Promise.all(loops);
    const driveSeconds = (performance.now() - t0) / 1000;

    // ---- figures ----
    // A call that failed while in flight in the kill's window is the hard kill's (HAProxy queues up to
    // 120 s, so a call waiting for a slot is not dropped); any other failure counts.
    const hitByKill = (c: Call) => c.error !== undefined && c.start <= diedAt && c.end >= killedAt;
    const killed = calls.filter(hitByKill);
    const failed = calls.filter((c) => c.error !== undefined && !hitByKill(c));
    const durations = calls
      .filter((c) => c.error === undefined)
      .map((c) => c.end - c.start)
      .sort((a, b) => a - b);
    const refreshes = people.map((p) => sandbox.tokens.refreshesByAccount().get(p.accountId) ?? 0);
    return {
      replicas: options.replicas,
      storage: options.storage,
      users: people.length,
      concurrent_clients: clients.length,
      clients_by_era: byEra,
      sign_in_s: round(signInSeconds),
      drive_s: round(driveSeconds),
      token_expiries: 1,
      calls: calls.length,
      failed_calls: failed.length,
      failures_sample: sample(failed, t0),
      wrong_identity: wrongIdentity,
      replicas_restarted: options.restart ? 1 : 0,
      restarted_exit_code: restartedExit,
      replicas_killed: options.hardKill ? 1 : 0,
      in_flight_on_killed: inFlightOnKilled,
      failed_after_hard_kill: killed.length,
      hard_kill_errors_retryable: killed.every((c) => RETRYABLE.test(c.error!)),
      hard_kill_errors_sample: sample(killed, t0),
      load_balancer_errors: lb.log().split('\n').filter(isFailedSession).slice(0, 5),
      refreshes_per_user_max: Math.max(...refreshes),
      refreshes_per_user_min: Math.min(...refreshes),
      throughput_calls_per_s: round(durations.length / driveSeconds),
      p50_ms: round(percentile(durations, 0.5)),
      p99_ms: round(percentile(durations, 0.99)),
    };
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  }
}

/** A person signs in the way an MCP host drives it (DCR, PKCE), the browser part done over HTTP. */
async function signIn(sandbox: Sandbox, origin: string, person: SandboxUser, i: number): Promise<string> {
  const registered = await fetch(`${origin}/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [CLIENT_REDIRECT], client_name: `bench host ${i}` }),
  });
  const { client_id: clientId } = (await registered.json()) as { client_id: string };
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(`${origin}/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CLIENT_REDIRECT,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    resource: `${origin}/mcp`,
    state: `bench-${i}`,
  }).toString();
  const back = await personSignsIn({ sandbox, issuer: origin }, authorize.toString(), person);
  const answer = await fetch(`${origin}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: clientId,
      code: back.searchParams.get('code')!,
      code_verifier: verifier,
      redirect_uri: CLIENT_REDIRECT,
    }),
  });
  if (!answer.ok) throw new Error(`token endpoint answered ${answer.status}: ${await answer.text()}`);
  return ((await answer.json()) as { access_token: string }).access_token;
}

/** Each distinct error once, with when its first call started and ended (seconds into the drive). */
function sample(calls: readonly Call[], t0: number): string[] {
  const first = new Map<string, Call>();
  for (const c of calls) if (!first.has(c.error!.slice(0, 200))) first.set(c.error!.slice(0, 200), c);
  return [...first].slice(0, 5).map(([error, c]) => `${sec(c.start - t0)}–${sec(c.end - t0)} s: ${error}`);
}

/** An HAProxy httplog line whose status is 5xx or whose termination state is not normal ("----"). */
function isFailedSession(line: string): boolean {
  const session = / (\d{3}) \d+ \S+ \S+ (\S{4}) /.exec(line);
  return !!session && (Number(session[1]) >= 500 || session[2] !== '----');
}

/** The error and its causes: undici's "fetch failed" says what happened only in `cause` (ECONNRESET, other side closed…). */
function errorText(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && parts.length < 4; e = (e as { cause?: unknown }).cause) {
    if (!(e instanceof Error)) {
      parts.push(String(e));
      break;
    }
    const code = (e as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${code}: ${e.message}` : e.message);
  }
  return parts.join(' <- ');
}

/** Runs `work` over `items`, `size` at a time, keeping the order of the results. */
async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size)
    results.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => work(item, i + j)))));
  return results;
}

/** The bench's own environment without anything a replica reads as a setting. */
function inheritedEnv(): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(JIRA_|CONFLUENCE_|ATLASSIAN_|TEAM_|MCP_|TRANSPORT|HOST|PORT)/.test(k)) clean[k] = v;
  return clean;
}

const sleepUntil = (time: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, time - performance.now())));
const sec = (duration: number) => (duration / 1000).toFixed(2);
const ms = (t0: number) => `${sec(performance.now() - t0)} s`;
const round = (n: number) => Math.round(n * 100) / 100;
const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0;

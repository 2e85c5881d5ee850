// The real bridge process as a team server (`--transport streamable-http --auth oauth`) on a fixed
// loopback port, with the sandbox as Atlassian and a SQLite vault in a temp dir. Its JSON log lines
// (stdout) are kept for assertions.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyRing } from '../../../src/team/vault/keyRing';
import type { Sandbox } from '../../sandbox/index';
import { bridgeBundle } from '../bridge/harness';

export interface TeamBridge {
  /** The public origin (also the OAuth issuer). */
  readonly origin: string;
  /** `${origin}/mcp`. */
  readonly url: string;
  readonly env: Record<string, string>;
  readonly dir: string;
  readonly child: ChildProcess;
  /** JSON log lines so far. */
  logs(): Record<string, unknown>[];
  stdout(): string;
  /** Resolves when a log line's msg matches. */
  waitForLog(pattern: RegExp): Promise<void>;
  stderr(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The environment of a team server on `origin` against the sandbox (the sandbox learns its callback). */
export function teamEnv(sandbox: Sandbox, origin: string, dir: string, extra: Record<string, string> = {}) {
  if (!sandbox.settings.redirectUris.includes(`${origin}/oauth/callback`))
    sandbox.settings.redirectUris.push(`${origin}/oauth/callback`);
  const { authBaseUrl, apiBaseUrl, oauthClient } = sandbox.discovery;
  return {
    TEAM_PUBLIC_URL: origin,
    ATLASSIAN_OAUTH_CLIENT_ID: oauthClient.clientId,
    ATLASSIAN_OAUTH_CLIENT_SECRET: oauthClient.clientSecret,
    ATLASSIAN_AUTH_BASE_URL: authBaseUrl,
    ATLASSIAN_API_BASE_URL: apiBaseUrl,
    ATLASSIAN_OAUTH_SCOPES: 'read:jira-work read:jira-user read:me offline_access',
    TEAM_SQLITE_FILE: join(dir, 'team.db'),
    TEAM_VAULT_KEYS: KeyRing.generateLine('k1'),
    ...extra,
  };
}

function cleanEnv(): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(JIRA_|CONFLUENCE_|ATLASSIAN_|TEAM_|MCP_|TRANSPORT|HOST|PORT)/.test(k)) clean[k] = v;
  return clean;
}

export async function startTeamBridge(
  sandbox: Sandbox,
  options: { extraEnv?: Record<string, string>; node?: string } = {},
): Promise<TeamBridge> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'amb-teambridge-'));
  const env = teamEnv(sandbox, origin, dir, options.extraEnv);
  const child = spawn(
    options.node ?? process.execPath,
    [await bridgeBundle(), '--transport', 'streamable-http', '--auth', 'oauth', '--port', String(port)],
    { env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`team bridge did not start: ${stdout}${stderr}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`team bridge exited (${code}): ${stdout}${stderr}`));
    });
  });
  return {
    origin,
    url: `${origin}/mcp`,
    env,
    dir,
    child,
    logs: () =>
      stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    stdout: () => stdout,
    waitForLog: (pattern) =>
      new Promise<void>((resolve) => {
        const seen = () => stdout.split('\n').some((line) => line && pattern.test(String(JSON.parse(line).msg)));
        if (seen()) return resolve();
        const onData = () => {
          if (!seen()) return;
          child.stdout!.off('data', onData);
          resolve();
        };
        child.stdout!.on('data', onData);
      }),
    stderr: () => stderr,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

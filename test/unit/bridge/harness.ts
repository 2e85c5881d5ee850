// Drives the bridge the way agents do: the real MCP SDK client, over stdio (a spawned bridge
// process) or streamable HTTP (a spawned bridge in HTTP mode), against the sandbox. The client
// speaks the 2025 handshake, as VS Code does, unless a test asks for the 2026-07-28 era.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, StreamableHTTPClientTransport, type ClientCapabilities } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { build } from 'esbuild';
import { bridgeBuilds } from '../../../scripts/bridgeBundle';
import { asksConsent } from '../../../src/bridge/consent';

export const ROOT = resolve(__dirname, '..', '..', '..');

let bundle: Promise<string> | undefined;

/** The bridge bundled as esbuild.js bundles dist/bridge.js (and the bundles it loads on demand, and team.js), built once per test run. */
export function bridgeBundle(): Promise<string> {
  bundle ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'amb-bridge-'));
    const common = {
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      logLevel: 'error',
      define: { BRIDGE_VERSION: '"0.0.0-test"' },
    } as const;
    await Promise.all(bridgeBuilds(common, outdir).map((options) => build(options)));
    // As dist/ sits in the repository: packages left outside the bundle (better-sqlite3) resolve.
    symlinkSync(join(ROOT, 'node_modules'), join(outdir, 'node_modules'), 'dir');
    return join(outdir, 'bridge.js');
  })();
  return bundle;
}

/** The environment a test bridge starts from: nothing from the developer's own Atlassian setup. */
function baseEnv(env: Record<string, string>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v !== undefined &&
      !/^(JIRA_|CONFLUENCE_|ATLASSIAN_|READ_ONLY_MODE|ENABLED_TOOLS|TOOLSETS|TRANSPORT|HOST|PORT|MCP_)/.test(k)
    )
      clean[k] = v;
  }
  return { ...clean, ...env };
}

export interface Connected {
  readonly client: Client;
  /** What the bridge wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

export type Era = 'legacy' | 'modern';

/** What a test's client declares and answers beyond the basics (e.g. elicitation). */
export interface ClientSetup {
  readonly capabilities?: ClientCapabilities;
  /** Called with the client before it connects, to register its request handlers. */
  readonly prepare?: (client: Client) => void;
}

function newClient(era: Era, setup: ClientSetup = {}): Client {
  const client = new Client(
    { name: 'bridge-test', version: '1.0.0' },
    {
      ...(era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
      ...(setup.capabilities ? { capabilities: setup.capabilities } : {}),
    },
  );
  setup.prepare?.(client);
  return client;
}

export async function connectStdio(
  env: Record<string, string>,
  era: Era = 'legacy',
  setup?: ClientSetup,
): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [await bridgeBundle()],
    env: baseEnv(env),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = newClient(era, setup);
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

export interface HttpBridgeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts the bridge in streamable-HTTP mode on a free loopback port. */
export async function startHttpBridgeProcess(
  env: Record<string, string>,
  args: string[] = [],
): Promise<HttpBridgeProcess> {
  const child = spawn(
    process.execPath,
    [await bridgeBundle(), '--transport', 'streamable-http', '--port', '0', ...args],
    { env: baseEnv(env), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`bridge did not start: ${stderr}`)), 10_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on (\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`bridge exited (${code}): ${stderr}`)));
  });
  return {
    url,
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export async function connectHttp(
  url: string,
  headers: Record<string, string>,
  era: Era = 'legacy',
  setup?: ClientSetup,
): Promise<Connected> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = newClient(era, setup);
  await client.connect(transport);
  return { client, stderr: () => '', close: () => client.close() };
}

export interface CallResult {
  readonly isError: boolean;
  readonly text: string;
  /** The text parsed as JSON, when it is JSON. */
  readonly json: unknown;
}

/**
 * Calls a tool as a model does. These clients cannot ask the person, so a tool that needs their
 * confirmation gets `confirm: true` (the person said yes) unless the test passes `confirm` itself;
 * consent.test.ts covers asking, declining and the unconfirmed refusal.
 */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallResult> {
  const confirmed = asksConsent(name) && !('confirm' in args) ? { ...args, confirm: true } : args;
  const result = (await client.callTool({ name, arguments: confirmed })) as {
    isError?: boolean;
    content: { type: string; text?: string }[];
  };
  const text = result.content.map((c) => c.text ?? '').join('\n');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { isError: result.isError === true, text, json };
}

export function basic(email: string, token: string): string {
  return `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
}

/** The sandbox's default user and her API token. */
export const ADA = { email: 'ada@example.com', token: 'sandbox-api-token-ada' };

export type Mode = 'stdio' | 'http';

/**
 * The bridge in `mode` on the given Jira/Confluence URLs with Basic credentials: in the
 * environment over stdio, per request over HTTP (as the header contract has it).
 */
export async function openBridge(
  mode: Mode,
  env: Record<string, string>,
  email = ADA.email,
  token = ADA.token,
): Promise<{ c: Connected; bridge?: HttpBridgeProcess }> {
  if (mode === 'stdio') {
    return {
      c: await connectStdio({
        ...env,
        JIRA_USERNAME: email,
        JIRA_API_TOKEN: token,
        CONFLUENCE_USERNAME: email,
        CONFLUENCE_API_TOKEN: token,
      }),
    };
  }
  const bridge = await startHttpBridgeProcess(env);
  return { c: await connectHttp(bridge.url, { Authorization: basic(email, token) }), bridge };
}

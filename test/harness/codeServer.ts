// A real VS Code (code-server: the VS Code workbench with a Node extension host) for the editor
// and UI tests. Offline by construction: no gallery, loopback only, throw-away profile.
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, run, spawnGroup, type GroupProcess } from './process';
import { tools } from './tools';

export const EXTENSION_ID = 'mcp-bridge-labs.atlassian-mcp-bridge';

export interface CodeServerOptions {
  /** Needed for the ext-host test route (`payload` URL parameter); it also hides toasts, so UI tests leave it off. */
  readonly smokeTestDriver?: boolean;
  /** VSIX to install before start. */
  readonly vsix?: string;
  /** Extra user settings. */
  readonly settings?: Record<string, unknown>;
  /** Extra environment for code-server (and so for the extension host). */
  readonly env?: Record<string, string>;
  /** Port on 127.0.0.1; a free one when absent. */
  readonly port?: number;
  /** Unpacked extension folders (test fixtures) to load, linked in before the first start. */
  readonly extensionFolders?: readonly string[];
  /** Make the workspace a real git repository (`git init`, one commit on main) before the workbench opens. */
  readonly gitRepository?: boolean;
}

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly root: string;
  readonly workspace: string;
  readonly extensionsDir: string;
  /** Folder of the installed extension (what the VSIX unpacked to). */
  readonly installedExtension: string | undefined;
  readonly output: () => string;
  stop(): Promise<void>;
}

const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'window.restoreWindows': 'none',
};

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const root = await mkdtemp(join(tmpdir(), 'amb-code-server-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const workspace = join(root, 'workspace');
  await mkdir(join(userDataDir, 'User'), { recursive: true });
  await mkdir(extensionsDir, { recursive: true });
  await mkdir(workspace, { recursive: true });
  await writeFile(join(workspace, 'README.md'), '# Sandbox workspace\n');
  if (options.gitRepository) await initRepository(workspace);
  await writeFile(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...options.settings }, null, 2),
  );
  const config = join(root, 'config.yaml');
  await writeFile(config, 'auth: none\ncert: false\n');

  const env = {
    ...process.env,
    // Put Node 24 first: the extension host's process.execPath is whatever node launched code-server.
    PATH: `${tools.nodeHome}/bin:${process.env.PATH ?? ''}`,
    // The default product points at a public gallery; with none configured nothing leaves the machine.
    EXTENSIONS_GALLERY: '{}',
    ...options.env,
  };
  const common = ['--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  for (const folder of options.extensionFolders ?? []) {
    const manifest = JSON.parse(await readFile(join(folder, 'package.json'), 'utf8')) as Record<string, string>;
    await symlink(folder, join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), 'dir');
  }

  let installedExtension: string | undefined;
  if (options.vsix) {
    await run(tools.codeServer, [...common, '--install-extension', options.vsix, '--force'], { env });
    const folder = (await readdir(extensionsDir)).find((name) => name.startsWith(`${EXTENSION_ID}-`));
    if (!folder) throw new Error(`the VSIX did not install into ${extensionsDir}`);
    installedExtension = join(extensionsDir, folder);
  }

  const port = options.port ?? (await freePort());
  const args = [
    ...common,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    workspace,
  ];
  const server: GroupProcess = spawnGroup(tools.codeServer, args, { env, cwd: root });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(url, server);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    url,
    port,
    root,
    workspace,
    extensionsDir,
    installedExtension,
    output: server.output,
    async stop() {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function waitUntilHealthy(url: string, server: GroupProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`code-server exited early:\n${server.output()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // Not listening yet: code-server prints nothing machine-readable, so poll its health route.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server did not become healthy within 60 s:\n${server.output()}`);
}

async function initRepository(folder: string): Promise<void> {
  const git = (...args: string[]) => run('git', args, { cwd: folder });
  await git('init', '-q', '-b', 'main');
  await git('config', 'user.email', 'ada@example.com');
  await git('config', 'user.name', 'Ada Lovelace');
  await git('add', '.');
  await git('commit', '-q', '-m', 'Initial commit');
}

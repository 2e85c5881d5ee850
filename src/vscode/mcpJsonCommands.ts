// "Add Bridge to mcp.json…" / "Remove Bridge from mcp.json…": for editors without the MCP provider
// API, the bridge as an entry of the workspace's or the user's mcp.json. The entry names only the
// channel file; while an entry exists, the extension keeps its credentials channel running and the
// file current (rewritten if another window removed it on closing). See docs/security.md.
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { removeChannelFile, writeChannelFile } from '../credentials/channelFile';
import type { ChannelServer } from '../credentials/channelServer';
import { bridgeEntry, mcpJsonTargets, type McpJsonTarget } from '../mcp/mcpJson';
import { BRIDGE_NODE_FLAGS } from '../mcp/serverPlan';
import { COMMANDS } from './ids';

/** globalState: the mcp.json files that hold our entry (so the channel starts with the extension). */
const WRITTEN_KEY = 'atlassianMcpBridge.mcpJsonFiles';

export interface McpJsonDependencies {
  readonly bridgePath: string;
  readonly globalStorage: vscode.Uri;
  readonly state: vscode.Memento;
  readonly channel: () => Promise<ChannelServer>;
  readonly log: Logger;
}

export interface McpJsonCommands extends vscode.Disposable {
  readonly channelFile: string;
  /** Resolves once the channel file is written (tests). */
  readonly channelReady: () => Promise<void> | undefined;
}

export function registerMcpJsonCommands(deps: McpJsonDependencies): McpJsonCommands {
  const channelFile = join(deps.globalStorage.fsPath, 'channel', 'channel.json');
  let ready: Promise<void> | undefined;
  let secret: string | undefined;
  let watcher: FSWatcher | undefined;

  const written = () => deps.state.get<string[]>(WRITTEN_KEY, []);
  const writeOwnChannelFile = async () => {
    const channel = await deps.channel();
    secret = channel.secret;
    await writeChannelFile(channelFile, { url: channel.url, secret: channel.secret });
  };
  const keepChannelFile = (): Promise<void> => {
    ready ??= writeOwnChannelFile().then(() => {
      // Another window that wrote the file last removes it when it closes: write ours again.
      watcher = watch(dirname(channelFile), (_event, name) => {
        if (name !== basename(channelFile)) return;
        void readFile(channelFile).catch(() =>
          writeOwnChannelFile().catch((err: unknown) =>
            deps.log.warn('mcp.json: could not rewrite the channel file: %s', err),
          ),
        );
      });
    });
    ready.catch((err: unknown) => {
      deps.log.error('mcp.json: could not write the channel file: %s', err);
      ready = undefined;
    });
    return ready;
  };
  if (written().length > 0) void keepChannelFile();

  const targets = () =>
    mcpJsonTargets({
      appName: vscode.env.appName,
      workspaceFolder: vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath,
      // The global storage is <User>/globalStorage/<extension id>.
      userDir: dirname(dirname(deps.globalStorage.fsPath)),
      home: homedir(),
    });

  const chooseTarget = async (arg: unknown, present?: boolean): Promise<McpJsonTarget | undefined> => {
    let candidates = targets();
    if (present !== undefined) {
      const { hasBridge } = await import('../mcp/mcpJsonEdit');
      const texts = await Promise.all(candidates.map((t) => readText(t.path)));
      candidates = candidates.filter((t, i) => {
        try {
          return hasBridge(texts[i]!, t.flavour) === present;
        } catch {
          return false;
        }
      });
    }
    if (arg === 'workspace' || arg === 'user') return candidates.find((t) => t.scope === arg);
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No mcp.json file holds the Atlassian MCP Bridge.'));
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      candidates.map((t) => ({
        label: t.scope === 'workspace' ? vscode.l10n.t('This workspace') : vscode.l10n.t('User (every workspace)'),
        description: t.path,
        detail:
          t.scope === 'workspace' && present === undefined
            ? vscode.l10n.t('The entry holds paths of this machine: keep the file out of version control.')
            : undefined,
        target: t,
      })),
      {
        title:
          present === undefined
            ? vscode.l10n.t('Add the Atlassian MCP Bridge to which mcp.json?')
            : vscode.l10n.t('Remove the Atlassian MCP Bridge from which mcp.json?'),
        placeHolder: vscode.l10n.t(
          'For editors that do not list MCP servers from extensions. Where they do, the bridge is already there.',
        ),
      },
    );
    return picked?.target;
  };

  const add = async (arg?: unknown) => {
    const target = await chooseTarget(arg);
    if (!target) return;
    const entry = bridgeEntry({
      nodePath: process.execPath,
      nodeFlags: BRIDGE_NODE_FLAGS,
      bridgePath: deps.bridgePath,
      channelFile,
      flavour: target.flavour,
    });
    try {
      const { withBridge } = await import('../mcp/mcpJsonEdit');
      const text = withBridge(await readText(target.path), entry, target.flavour);
      await keepChannelFile();
      await mkdir(dirname(target.path), { recursive: true });
      await writeFile(target.path, text, 'utf8');
    } catch (err) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t(
          'Could not add the bridge to {0}: {1}',
          target.path,
          err instanceof Error ? err.message : String(err),
        ),
      );
      return;
    }
    await deps.state.update(WRITTEN_KEY, [...new Set([...written(), target.path])]);
    deps.log.info('mcp.json: added the bridge to %s', target.path);
    void showDone(vscode.l10n.t('The Atlassian MCP Bridge is in {0}.', target.path), target.path);
  };

  const remove = async (arg?: unknown) => {
    const target = await chooseTarget(arg, true);
    if (!target) return;
    try {
      const { withoutBridge } = await import('../mcp/mcpJsonEdit');
      const { text, removed } = withoutBridge(await readText(target.path), target.flavour);
      if (removed) await writeFile(target.path, text, 'utf8');
    } catch (err) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t(
          'Could not remove the bridge from {0}: {1}',
          target.path,
          err instanceof Error ? err.message : String(err),
        ),
      );
      return;
    }
    const rest = written().filter((p) => p !== target.path);
    await deps.state.update(WRITTEN_KEY, rest);
    if (rest.length === 0 && secret) await removeChannelFile(channelFile, secret);
    deps.log.info('mcp.json: removed the bridge from %s', target.path);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('The Atlassian MCP Bridge was removed from {0}.', target.path),
    );
  };

  const disposables = [
    vscode.commands.registerCommand(COMMANDS.addBridgeToMcpJson, add),
    vscode.commands.registerCommand(COMMANDS.removeBridgeFromMcpJson, remove),
  ];
  return {
    channelFile,
    channelReady: () => ready,
    dispose: () => {
      watcher?.close();
      if (secret) void removeChannelFile(channelFile, secret);
      vscode.Disposable.from(...disposables).dispose();
    },
  };
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

async function showDone(message: string, path: string): Promise<void> {
  const open = vscode.l10n.t('Open mcp.json');
  if ((await vscode.window.showInformationMessage(message, open)) === open)
    await vscode.window.showTextDocument(vscode.Uri.file(path));
}

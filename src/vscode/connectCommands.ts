// "Connect Atlassian" and friends: which method, the prompts (signInFlows), and what happens to the
// set of connections — a repeat of an existing one is never stored silently, and disconnecting
// the default asks which connection takes over.
import * as vscode from 'vscode';
import type { AuthMethod, ConnectionInfo, ConnectionManager } from '../auth/connections';
import type { Logger } from '../core/logger';
import type * as FlowModule from './connectFlow';
import { COMMANDS, CONTEXT_KEYS } from './ids';

export interface ConnectDependencies {
  readonly connections: ConnectionManager;
  readonly secrets: vscode.SecretStorage;
  readonly log: Logger;
  /** How requests reach Atlassian (VS Code's fetch, or one with the CA file / proxy applied). */
  readonly fetch: typeof fetch;
}

/**
 * Signing in (the flows, the loopback listener, the site checks) ships as dist/connectFlow.js and
 * loads when Connect or Reconnect first runs (esbuild.js); a token refresh does not need it.
 */
function connect(deps: ConnectDependencies, again?: ConnectionInfo): Promise<ConnectionInfo | undefined> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (require('./connectFlow') as typeof FlowModule).connect(deps, again);
}

export function registerConnectCommands(deps: ConnectDependencies): vscode.Disposable {
  const needsReconnectShown = new Set<string>();
  const watcher = deps.connections.onDidChange(() => {
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.connected, deps.connections.list().length > 0);
    for (const c of deps.connections.list()) {
      if (c.state !== 'needsReconnect') {
        needsReconnectShown.delete(c.id);
        continue;
      }
      if (needsReconnectShown.has(c.id)) continue;
      needsReconnectShown.add(c.id);
      void vscode.window
        .showWarningMessage(
          vscode.l10n.t(
            'Atlassian: the connection to {0} needs you to sign in again ({1}).',
            c.siteName,
            c.stateReason ?? vscode.l10n.t('the sign-in expired'),
          ),
          vscode.l10n.t('Reconnect'),
        )
        .then((choice) => choice && vscode.commands.executeCommand(COMMANDS.reconnect, c.id));
    }
  });
  void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.connected, deps.connections.list().length > 0);

  return vscode.Disposable.from(
    { dispose: () => watcher.dispose() },
    vscode.commands.registerCommand(COMMANDS.connect, () => connect(deps)),
    vscode.commands.registerCommand(COMMANDS.disconnect, async (target?: unknown) => {
      const c =
        connectionFrom(deps, target) ??
        (await pickConnection(deps, vscode.l10n.t('Disconnect which Atlassian connection?')));
      if (c) await disconnect(deps, c);
    }),
    vscode.commands.registerCommand(COMMANDS.makeDefault, (target?: unknown) =>
      vscode.commands.executeCommand(COMMANDS.setDefault, target),
    ),
    vscode.commands.registerCommand(COMMANDS.setDefault, async (target?: unknown) => {
      const c =
        connectionFrom(deps, target) ??
        (await pickConnection(deps, vscode.l10n.t('Which connection should be the default?')));
      if (!c) return;
      await deps.connections.setDefault(c.id);
      void vscode.window.showInformationMessage(
        vscode.l10n.t('{0} is now the default Atlassian connection.', c.siteName),
      );
    }),
    vscode.commands.registerCommand(COMMANDS.reconnect, async (target?: unknown) => {
      const c = connectionFrom(deps, target);
      return c ? connect(deps, c) : connect(deps);
    }),
    vscode.commands.registerCommand(COMMANDS.openSite, (target?: unknown) => {
      const c = connectionFrom(deps, target);
      if (c) void vscode.env.openExternal(vscode.Uri.parse(c.siteUrl));
    }),
    vscode.commands.registerCommand(COMMANDS.copyCloudId, async (target?: unknown) => {
      const c = connectionFrom(deps, target);
      if (!c?.cloudId) return;
      await vscode.env.clipboard.writeText(c.cloudId);
      void vscode.window.showInformationMessage(vscode.l10n.t('Copied the cloud id of {0}.', c.siteName));
    }),
  );
}

/** A connection named by a command argument: its id, or a Connection view row. */
export function connectionFrom(deps: ConnectDependencies, target: unknown): ConnectionInfo | undefined {
  const id =
    typeof target === 'string'
      ? target
      : (target as { health?: { connectionId?: unknown } } | undefined)?.health?.connectionId;
  return typeof id === 'string' ? deps.connections.get(id) : undefined;
}

async function pickConnection(deps: ConnectDependencies, title: string, among?: readonly ConnectionInfo[]) {
  const all = among ?? deps.connections.list();
  if (all.length === 0) {
    void vscode.window
      .showInformationMessage(vscode.l10n.t('No Atlassian connection yet.'), vscode.l10n.t('Connect Atlassian'))
      .then((c) => c && vscode.commands.executeCommand(COMMANDS.connect));
    return undefined;
  }
  const current = deps.connections.defaultConnection()?.id;
  const choice = await vscode.window.showQuickPick(
    all.map((c) => ({
      label: c.siteName,
      description: [c.user.displayName, methodLabel(c.method), ...(c.id === current ? [defaultWord()] : [])].join(
        ' · ',
      ),
      detail:
        c.state === 'needsReconnect'
          ? vscode.l10n.t('$(warning) needs reconnect: {0}', c.stateReason ?? '')
          : c.siteUrl,
      connection: c,
    })),
    { title, ignoreFocusOut: true },
  );
  return choice?.connection;
}

async function disconnect(deps: ConnectDependencies, c: ConnectionInfo): Promise<void> {
  const disconnectButton = vscode.l10n.t({
    message: 'Disconnect',
    comment: ['A button that removes an Atlassian connection and deletes its stored credentials'],
  });
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Disconnect {0} ({1})? Its stored credentials are deleted.', c.siteName, c.user.displayName),
    { modal: true },
    disconnectButton,
  );
  if (answer !== disconnectButton) return;
  const others = deps.connections.list().filter((o) => o.id !== c.id);
  // The default decides where the agent's tools go when they name no site: never hand it on silently.
  let successor: ConnectionInfo | undefined;
  if (deps.connections.defaultConnection()?.id === c.id && others.length > 0) {
    successor = await pickConnection(
      deps,
      vscode.l10n.t('{0} is the default connection. Which connection becomes the default?', c.siteName),
      others,
    );
    if (!successor) return;
  }
  await deps.connections.remove(c.id);
  if (successor) await deps.connections.setDefault(successor.id);
  void vscode.window.showInformationMessage(
    successor
      ? vscode.l10n.t('Disconnected {0}. The default connection is now {1}.', c.siteName, successor.siteName)
      : vscode.l10n.t('Disconnected {0}.', c.siteName),
  );
}

function defaultWord(): string {
  return vscode.l10n.t({
    message: 'default',
    comment: ['Marks the default Atlassian connection in a list of connections'],
  });
}

/** The method as a label in a list of connections. */
function methodLabel(method: AuthMethod): string {
  return method === 'oauth'
    ? vscode.l10n.t('OAuth')
    : method === 'apiToken'
      ? vscode.l10n.t('API token')
      : vscode.l10n.t('personal access token');
}

// "Connect Atlassian" and friends: which method, the prompts (signInFlows), and what happens to the
// set of connections — a repeat of an existing one is never stored silently, and disconnecting
// the default asks which connection takes over.
import * as vscode from 'vscode';
import type { AuthMethod, ConnectionInfo, ConnectionManager } from '../auth/connections';
import { sameSiteAndAccount } from '../auth/duplicates';
import { loadSandboxProfile, type SandboxProfile } from '../auth/sandboxProfile';
import type { SignInResult } from '../auth/signIn';
import type { Logger } from '../core/logger';
import { COMMANDS, CONTEXT_KEYS } from './ids';
import { readAuthSettings } from './settings';
import { apiTokenFlow, oauthFlow, patFlow, type Draft, type FlowOutcome } from './signInFlows';

export interface ConnectDependencies {
  readonly connections: ConnectionManager;
  readonly secrets: vscode.SecretStorage;
  readonly log: Logger;
  /** How requests reach Atlassian (VS Code's fetch, or one with the CA file / proxy applied). */
  readonly fetch: typeof fetch;
}

// A function, not a constant: the labels are translated when the pick opens, after activation.
function methods(): (vscode.QuickPickItem & { method: AuthMethod })[] {
  return [
    {
      method: 'apiToken',
      label: vscode.l10n.t('$(key) Atlassian Cloud — API token'),
      description: vscode.l10n.t('recommended: needs no admin'),
      detail: vscode.l10n.t('Your site, your email and an API token you create yourself in a minute'),
    },
    {
      method: 'oauth',
      label: vscode.l10n.t('$(globe) Atlassian Cloud — sign in with the browser'),
      description: vscode.l10n.t('needs your own OAuth app'),
      detail: vscode.l10n.t('OAuth 2.0 (3LO): an app you (or an admin) registered at developer.atlassian.com'),
    },
    {
      method: 'pat',
      label: vscode.l10n.t('$(server) Jira / Confluence Data Center — personal access token'),
      detail: vscode.l10n.t('Base URL and a personal access token'),
    },
  ];
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

/** Connect Atlassian; with `again`, signs that connection in again (its method, its site and email pre-filled). */
async function connect(deps: ConnectDependencies, again?: ConnectionInfo): Promise<ConnectionInfo | undefined> {
  let method = again?.method;
  if (!method) {
    const picked = await vscode.window.showQuickPick(methods(), {
      title: vscode.l10n.t('Connect Atlassian'),
      placeHolder: vscode.l10n.t('How do you want to sign in?'),
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    method = picked.method;
  }
  try {
    const settings = readAuthSettings();
    const sandbox = settings.sandbox ? await loadSandboxProfile(settings.sandbox) : undefined;
    const draft: Draft = again
      ? { site: again.siteUrl, email: again.user.email }
      : method === 'pat'
        ? { site: sandbox?.dataCenterUrl, token: sandbox?.personalAccessToken }
        : { site: sandbox?.siteUrl, email: sandbox?.email, token: sandbox?.apiToken };
    let outcome: FlowOutcome = await run(deps, method, draft, sandbox);
    // "Use an API token" from the OAuth explanations.
    if (typeof outcome === 'object' && 'switchTo' in outcome)
      outcome = await run(deps, outcome.switchTo, { site: sandbox?.siteUrl, email: sandbox?.email }, sandbox);
    if (outcome === 'cancelled' || 'switchTo' in outcome) return undefined;
    return await store(deps, outcome);
  } catch (err) {
    deps.log.error('Connect Atlassian failed: %s', err);
    const message = err instanceof Error ? err.message : String(err);
    void vscode.window
      .showErrorMessage(vscode.l10n.t('Connect Atlassian failed: {0}', message), vscode.l10n.t('Show Log'))
      .then((c) => c && vscode.commands.executeCommand(COMMANDS.showLog));
    return undefined;
  }
}

function run(deps: ConnectDependencies, method: AuthMethod, draft: Draft, sandbox: SandboxProfile | undefined) {
  return method === 'oauth'
    ? oauthFlow(deps, sandbox)
    : method === 'apiToken'
      ? apiTokenFlow(deps, draft)
      : patFlow(deps, draft);
}

/** Stores the sign-in; a repeat of an existing connection asks first: Replace, Keep Both or Cancel. */
async function store(deps: ConnectDependencies, result: SignInResult): Promise<ConnectionInfo | undefined> {
  const { info } = result;
  const repeats = sameSiteAndAccount(deps.connections.list(), info);
  let replace = false;
  if (repeats.length > 0) {
    const replaceButton = vscode.l10n.t('Replace');
    const keepBoth = vscode.l10n.t('Keep Both');
    const existing = repeats[0]!;
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('You are already connected to {0} as {1}.', existing.siteName, existing.user.displayName),
      {
        modal: true,
        detail: vscode.l10n.t(
          'The existing connection uses {0}; this sign-in uses {1}. Replace the existing connection, or keep both (every issue then shows up once per connection)?',
          methodName(existing.method),
          methodName(info.method),
        ),
      },
      replaceButton,
      keepBoth,
    );
    if (answer === undefined) return undefined;
    replace = answer === replaceButton;
  }
  const wasDefault = repeats.some((c) => c.id === deps.connections.defaultConnection()?.id);
  await deps.connections.add(info, result.credential);
  if (replace) {
    for (const old of repeats) await deps.connections.remove(old.id);
    if (wasDefault) await deps.connections.setDefault(info.id);
  }
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Connected to {0} as {1}.', info.siteName, info.user.displayName),
  );
  return info;
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

function methodName(method: AuthMethod): string {
  return method === 'oauth'
    ? vscode.l10n.t('browser sign-in (OAuth)')
    : method === 'apiToken'
      ? vscode.l10n.t('an API token')
      : vscode.l10n.t('a personal access token');
}

/** The method as a label in a list of connections. */
function methodLabel(method: AuthMethod): string {
  return method === 'oauth'
    ? vscode.l10n.t('OAuth')
    : method === 'apiToken'
      ? vscode.l10n.t('API token')
      : vscode.l10n.t('personal access token');
}

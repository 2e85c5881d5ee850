// "Connect Atlassian" and friends: the prompts, progress and messages around the core sign-in
// flows. Nothing here knows how OAuth or the REST calls work; it asks, shows and stores.
import * as vscode from 'vscode';
import { callbackPages } from '../auth/callbackPages';
import type { ConnectionInfo, ConnectionManager } from '../auth/connections';
import { CallbackError } from '../auth/loopback';
import { loadSandboxProfile, type SandboxProfile } from '../auth/sandboxProfile';
import { clientSecretKey } from '../auth/secrets';
import { signInWithApiToken, signInWithOAuth, signInWithPersonalAccessToken, type SignInResult } from '../auth/signIn';
import type { Logger } from '../core/logger';
import { COMMANDS, CONTEXT_KEYS } from './ids';
import { fullSettingName, readAuthSettings, SETTING, SETTINGS_SECTION } from './settings';

export interface ConnectDependencies {
  readonly connections: ConnectionManager;
  readonly secrets: vscode.SecretStorage;
  readonly log: Logger;
  /** How requests reach Atlassian (VS Code's fetch, or one with the CA file / proxy applied). */
  readonly fetch: typeof fetch;
}

type Method = 'oauth' | 'apiToken' | 'pat';

// A function, not a constant: the labels are translated when the pick opens, after activation.
function methods(): (vscode.QuickPickItem & { method: Method })[] {
  return [
    {
      method: 'oauth',
      label: vscode.l10n.t('$(globe) Atlassian Cloud — sign in with the browser'),
      detail: vscode.l10n.t('OAuth 2.0 (3LO) with your own OAuth app'),
    },
    {
      method: 'apiToken',
      label: vscode.l10n.t('$(key) Atlassian Cloud — API token'),
      detail: vscode.l10n.t('Site URL, email and an API token'),
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
        .then((choice) => choice && vscode.commands.executeCommand(COMMANDS.connect));
    }
  });
  void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.connected, deps.connections.list().length > 0);

  return vscode.Disposable.from(
    { dispose: () => watcher.dispose() },
    vscode.commands.registerCommand(COMMANDS.connect, () => connect(deps)),
    vscode.commands.registerCommand(COMMANDS.disconnect, () => disconnect(deps)),
    vscode.commands.registerCommand(COMMANDS.setDefault, () => chooseDefault(deps)),
  );
}

async function connect(deps: ConnectDependencies): Promise<ConnectionInfo | undefined> {
  const picked = await vscode.window.showQuickPick(methods(), {
    title: vscode.l10n.t('Connect Atlassian'),
    placeHolder: vscode.l10n.t('How do you want to sign in?'),
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  try {
    const settings = readAuthSettings();
    const sandbox = settings.sandbox ? await loadSandboxProfile(settings.sandbox) : undefined;
    const result =
      picked.method === 'oauth'
        ? await connectWithOAuth(deps, sandbox)
        : picked.method === 'apiToken'
          ? await connectWithApiToken(deps, sandbox)
          : await connectWithPat(deps, sandbox);
    if (!result) return undefined;
    await deps.connections.add(result.info, result.credential);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Connected to {0} as {1}.', result.info.siteName, result.info.user.displayName),
    );
    return result.info;
  } catch (err) {
    if (err instanceof CallbackError && err.reason === 'cancelled') return undefined;
    const message = err instanceof Error ? err.message : String(err);
    deps.log.error('Connect Atlassian failed: %s', err);
    void vscode.window
      .showErrorMessage(vscode.l10n.t('Connect Atlassian failed: {0}', message), vscode.l10n.t('Show Log'))
      .then((c) => c && vscode.commands.executeCommand(COMMANDS.showLog));
    return undefined;
  }
}

async function connectWithOAuth(
  deps: ConnectDependencies,
  sandbox: SandboxProfile | undefined,
): Promise<SignInResult | undefined> {
  const settings = readAuthSettings();
  let clientId = sandbox?.clientId ?? settings.clientId;
  if (!clientId) {
    const entered = await vscode.window.showInputBox({
      title: vscode.l10n.t('Connect Atlassian (OAuth): client ID'),
      prompt: vscode.l10n.t(
        'The client ID of your OAuth 2.0 (3LO) app from developer.atlassian.com. It is saved in your settings.',
      ),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the client ID')),
    });
    if (!entered) return undefined;
    clientId = entered.trim();
    await vscode.workspace
      .getConfiguration(SETTINGS_SECTION)
      .update(SETTING.clientId, clientId, vscode.ConfigurationTarget.Global);
  }

  const secretKey = clientSecretKey(clientId);
  let clientSecret = await deps.secrets.get(secretKey);
  if (sandbox && clientSecret !== sandbox.clientSecret) clientSecret = sandbox.clientSecret;
  if (!clientSecret) {
    clientSecret = await vscode.window.showInputBox({
      title: vscode.l10n.t('Connect Atlassian (OAuth): client secret'),
      prompt: vscode.l10n.t(
        "The secret of your OAuth app. Atlassian requires it; it is kept only in VS Code's secret storage.",
      ),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the client secret')),
    });
    if (!clientSecret) return undefined;
    clientSecret = clientSecret.trim();
  }
  await deps.secrets.store(secretKey, clientSecret);

  const redirectUri = sandbox?.redirectUris[0] ?? settings.redirectUri;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Connect Atlassian'), cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort());
      progress.report({ message: vscode.l10n.t('waiting for you to sign in in the browser…') });
      try {
        return await signInWithOAuth({
          fetch: deps.fetch,
          onStep: (message) => progress.report({ message }),
          endpoints: {
            authBaseUrl: sandbox?.authBaseUrl ?? settings.authBaseUrl,
            apiBaseUrl: sandbox?.apiBaseUrl ?? settings.apiBaseUrl,
          },
          app: { clientId: clientId!, redirectUri, scopes: settings.scopes },
          clientSecret: clientSecret!,
          openBrowser: async (url) => vscode.env.openExternal(vscode.Uri.parse(url, true)),
          pickSite: async (sites) => {
            const choice = await vscode.window.showQuickPick(
              sites.map((s) => ({
                label: s.name,
                description: s.url,
                detail: vscode.l10n.t('cloud id {0}', s.id),
                site: s,
              })),
              {
                title: vscode.l10n.t('Connect Atlassian: which site?'),
                placeHolder: vscode.l10n.t(
                  'Your sign-in reaches several sites. Choose one (connect again for another).',
                ),
                ignoreFocusOut: true,
              },
            );
            return choice?.site;
          },
          pages: callbackPages,
          portSettingName: `${fullSettingName(SETTING.redirectPort)}`,
          signal: abort.signal,
        });
      } finally {
        cancel.dispose();
      }
    },
  );
}

async function connectWithApiToken(
  deps: ConnectDependencies,
  sandbox: SandboxProfile | undefined,
): Promise<SignInResult | undefined> {
  const siteUrl = await ask({
    title: vscode.l10n.t('Connect Atlassian: Site URL'),
    prompt: vscode.l10n.t('Your Atlassian Cloud site, e.g. https://your-site.atlassian.net'),
    empty: vscode.l10n.t('Enter the site URL'),
    value: sandbox?.siteUrl,
  });
  if (!siteUrl) return undefined;
  const email = await ask({
    title: vscode.l10n.t('Connect Atlassian: Email'),
    prompt: vscode.l10n.t('The email address of your Atlassian account'),
    empty: vscode.l10n.t('Enter the email'),
    value: sandbox?.email,
  });
  if (!email) return undefined;
  const apiToken = await ask({
    title: vscode.l10n.t('Connect Atlassian: API token'),
    prompt: vscode.l10n.t(
      "An API token from id.atlassian.com → Security → API tokens. Kept only in VS Code's secret storage.",
    ),
    empty: vscode.l10n.t('Enter the API token'),
    value: sandbox?.apiToken,
    password: true,
  });
  if (!apiToken) return undefined;
  return withValidation(vscode.l10n.t('Checking {0}…', siteUrl), (signal) =>
    signInWithApiToken({ siteUrl, email, apiToken, signal, fetch: deps.fetch }),
  );
}

async function connectWithPat(
  deps: ConnectDependencies,
  sandbox: SandboxProfile | undefined,
): Promise<SignInResult | undefined> {
  const baseUrl = await ask({
    title: vscode.l10n.t('Connect Atlassian: Base URL'),
    prompt: vscode.l10n.t('Your Jira Data Center URL, e.g. https://jira.example.com'),
    empty: vscode.l10n.t('Enter the base URL'),
    value: sandbox?.dataCenterUrl,
  });
  if (!baseUrl) return undefined;
  const token = await ask({
    title: vscode.l10n.t('Connect Atlassian: Personal access token'),
    prompt: vscode.l10n.t("A personal access token from your profile. Kept only in VS Code's secret storage."),
    empty: vscode.l10n.t('Enter the personal access token'),
    value: sandbox?.personalAccessToken,
    password: true,
  });
  if (!token) return undefined;
  return withValidation(vscode.l10n.t('Checking {0}…', baseUrl), (signal) =>
    signInWithPersonalAccessToken({ baseUrl, token, signal, fetch: deps.fetch }),
  );
}

interface Question {
  readonly title: string;
  readonly prompt: string;
  /** The validation message while the box is empty. */
  readonly empty: string;
  readonly value: string | undefined;
  readonly password?: boolean;
}

function ask(q: Question): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: q.title,
    prompt: q.prompt,
    value: q.value,
    password: q.password ?? false,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : q.empty),
  });
}

function withValidation<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (_p, token) => {
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort());
      try {
        return await task(abort.signal);
      } finally {
        cancel.dispose();
      }
    },
  );
}

async function pickConnection(deps: ConnectDependencies, title: string): Promise<ConnectionInfo | undefined> {
  const all = deps.connections.list();
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
      description: [
        c.user.displayName,
        methodLabel(c.method),
        ...(c.id === current
          ? [
              vscode.l10n.t({
                message: 'default',
                comment: ['Marks the default Atlassian connection in a list of connections'],
              }),
            ]
          : []),
      ].join(' · '),
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

async function disconnect(deps: ConnectDependencies): Promise<void> {
  const c = await pickConnection(deps, vscode.l10n.t('Disconnect which Atlassian connection?'));
  if (!c) return;
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
  await deps.connections.remove(c.id);
  void vscode.window.showInformationMessage(vscode.l10n.t('Disconnected {0}.', c.siteName));
}

async function chooseDefault(deps: ConnectDependencies): Promise<void> {
  const c = await pickConnection(deps, vscode.l10n.t('Which connection should be the default?'));
  if (!c) return;
  await deps.connections.setDefault(c.id);
  void vscode.window.showInformationMessage(vscode.l10n.t('{0} is now the default Atlassian connection.', c.siteName));
}

function methodLabel(method: ConnectionInfo['method']): string {
  return method === 'oauth'
    ? 'OAuth'
    : method === 'apiToken'
      ? vscode.l10n.t('API token')
      : vscode.l10n.t('personal access token');
}

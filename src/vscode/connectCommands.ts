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

const METHODS: readonly (vscode.QuickPickItem & { method: Method })[] = [
  { method: 'oauth', label: '$(globe) Atlassian Cloud — sign in with the browser', detail: 'OAuth 2.0 (3LO) with your own OAuth app' },
  { method: 'apiToken', label: '$(key) Atlassian Cloud — API token', detail: 'Site URL, email and an API token' },
  { method: 'pat', label: '$(server) Jira / Confluence Data Center — personal access token', detail: 'Base URL and a personal access token' },
];

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
        .showWarningMessage(`Atlassian: the connection to ${c.siteName} needs you to sign in again (${c.stateReason ?? 'the sign-in expired'}).`, 'Reconnect')
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
  const picked = await vscode.window.showQuickPick(METHODS, { title: 'Connect Atlassian', placeHolder: 'How do you want to sign in?', ignoreFocusOut: true });
  if (!picked) return undefined;
  try {
    const settings = readAuthSettings();
    const sandbox = settings.sandbox ? await loadSandboxProfile(settings.sandbox) : undefined;
    const result =
      picked.method === 'oauth' ? await connectWithOAuth(deps, sandbox)
      : picked.method === 'apiToken' ? await connectWithApiToken(deps, sandbox)
      : await connectWithPat(deps, sandbox);
    if (!result) return undefined;
    await deps.connections.add(result.info, result.credential);
    void vscode.window.showInformationMessage(`Connected to ${result.info.siteName} as ${result.info.user.displayName}.`);
    return result.info;
  } catch (err) {
    if (err instanceof CallbackError && err.reason === 'cancelled') return undefined;
    const message = err instanceof Error ? err.message : String(err);
    deps.log.error('Connect Atlassian failed: %s', err);
    void vscode.window.showErrorMessage(`Connect Atlassian failed: ${message}`, 'Show Log').then((c) => c && vscode.commands.executeCommand(COMMANDS.showLog));
    return undefined;
  }
}

async function connectWithOAuth(deps: ConnectDependencies, sandbox: SandboxProfile | undefined): Promise<SignInResult | undefined> {
  const settings = readAuthSettings();
  let clientId = sandbox?.clientId ?? settings.clientId;
  if (!clientId) {
    const entered = await vscode.window.showInputBox({
      title: 'Connect Atlassian (OAuth): client ID',
      prompt: 'The client ID of your OAuth 2.0 (3LO) app from developer.atlassian.com. It is saved in your settings.',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Enter the client ID'),
    });
    if (!entered) return undefined;
    clientId = entered.trim();
    await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(SETTING.clientId, clientId, vscode.ConfigurationTarget.Global);
  }

  const secretKey = clientSecretKey(clientId);
  let clientSecret = await deps.secrets.get(secretKey);
  if (sandbox && clientSecret !== sandbox.clientSecret) clientSecret = sandbox.clientSecret;
  if (!clientSecret) {
    clientSecret = await vscode.window.showInputBox({
      title: 'Connect Atlassian (OAuth): client secret',
      prompt: 'The secret of your OAuth app. Atlassian requires it; it is kept only in VS Code\'s secret storage.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Enter the client secret'),
    });
    if (!clientSecret) return undefined;
    clientSecret = clientSecret.trim();
  }
  await deps.secrets.store(secretKey, clientSecret);

  const redirectUri = sandbox?.redirectUris[0] ?? settings.redirectUri;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Connect Atlassian', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort());
      progress.report({ message: 'waiting for you to sign in in the browser…' });
      try {
        return await signInWithOAuth({
          fetch: deps.fetch,
          onStep: (message) => progress.report({ message }),
          endpoints: { authBaseUrl: sandbox?.authBaseUrl ?? settings.authBaseUrl, apiBaseUrl: sandbox?.apiBaseUrl ?? settings.apiBaseUrl },
          app: { clientId: clientId!, redirectUri, scopes: settings.scopes },
          clientSecret: clientSecret!,
          openBrowser: async (url) => vscode.env.openExternal(vscode.Uri.parse(url, true)),
          pickSite: async (sites) => {
            const choice = await vscode.window.showQuickPick(
              sites.map((s) => ({ label: s.name, description: s.url, detail: `cloud id ${s.id}`, site: s })),
              { title: 'Connect Atlassian: which site?', placeHolder: 'Your sign-in reaches several sites. Choose one (connect again for another).', ignoreFocusOut: true },
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

async function connectWithApiToken(deps: ConnectDependencies, sandbox: SandboxProfile | undefined): Promise<SignInResult | undefined> {
  const siteUrl = await ask('Site URL', 'Your Atlassian Cloud site, e.g. https://your-site.atlassian.net', sandbox?.siteUrl);
  if (!siteUrl) return undefined;
  const email = await ask('Email', 'The email address of your Atlassian account', sandbox?.email);
  if (!email) return undefined;
  const apiToken = await ask('API token', 'An API token from id.atlassian.com → Security → API tokens. Kept only in VS Code\'s secret storage.', sandbox?.apiToken, true);
  if (!apiToken) return undefined;
  return withValidation(`Checking ${siteUrl}…`, (signal) => signInWithApiToken({ siteUrl, email, apiToken, signal, fetch: deps.fetch }));
}

async function connectWithPat(deps: ConnectDependencies, sandbox: SandboxProfile | undefined): Promise<SignInResult | undefined> {
  const baseUrl = await ask('Base URL', 'Your Jira Data Center URL, e.g. https://jira.example.com', sandbox?.dataCenterUrl);
  if (!baseUrl) return undefined;
  const token = await ask('Personal access token', 'A personal access token from your profile. Kept only in VS Code\'s secret storage.', sandbox?.personalAccessToken, true);
  if (!token) return undefined;
  return withValidation(`Checking ${baseUrl}…`, (signal) => signInWithPersonalAccessToken({ baseUrl, token, signal, fetch: deps.fetch }));
}

function ask(title: string, prompt: string, value: string | undefined, password = false): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: `Connect Atlassian: ${title}`,
    prompt,
    value,
    password,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : `Enter the ${title.toLowerCase()}`),
  });
}

function withValidation<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_p, token) => {
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      return await task(abort.signal);
    } finally {
      cancel.dispose();
    }
  });
}

async function pickConnection(deps: ConnectDependencies, title: string): Promise<ConnectionInfo | undefined> {
  const all = deps.connections.list();
  if (all.length === 0) {
    void vscode.window.showInformationMessage('No Atlassian connection yet.', 'Connect Atlassian').then((c) => c && vscode.commands.executeCommand(COMMANDS.connect));
    return undefined;
  }
  const current = deps.connections.defaultConnection()?.id;
  const choice = await vscode.window.showQuickPick(
    all.map((c) => ({
      label: c.siteName,
      description: `${c.user.displayName} · ${methodLabel(c.method)}${c.id === current ? ' · default' : ''}`,
      detail: c.state === 'needsReconnect' ? `$(warning) needs reconnect: ${c.stateReason ?? ''}` : c.siteUrl,
      connection: c,
    })),
    { title, ignoreFocusOut: true },
  );
  return choice?.connection;
}

async function disconnect(deps: ConnectDependencies): Promise<void> {
  const c = await pickConnection(deps, 'Disconnect which Atlassian connection?');
  if (!c) return;
  const answer = await vscode.window.showWarningMessage(`Disconnect ${c.siteName} (${c.user.displayName})? Its stored credentials are deleted.`, { modal: true }, 'Disconnect');
  if (answer !== 'Disconnect') return;
  await deps.connections.remove(c.id);
  void vscode.window.showInformationMessage(`Disconnected ${c.siteName}.`);
}

async function chooseDefault(deps: ConnectDependencies): Promise<void> {
  const c = await pickConnection(deps, 'Which connection should be the default?');
  if (!c) return;
  await deps.connections.setDefault(c.id);
  void vscode.window.showInformationMessage(`${c.siteName} is now the default Atlassian connection.`);
}

function methodLabel(method: ConnectionInfo['method']): string {
  return method === 'oauth' ? 'OAuth' : method === 'apiToken' ? 'API token' : 'personal access token';
}

// Connect Atlassian and Reconnect (bundled as dist/connectFlow.js, loaded when one first runs): the
// sign-in method picked, its flow run, and the result stored, asking first when it repeats a connection.
import * as vscode from 'vscode';
import type { AuthMethod, ConnectionInfo } from '../auth/connections';
import { sameSiteAndAccount } from '../auth/duplicates';
import { loadSandboxProfile, type SandboxProfile } from '../auth/sandboxProfile';
import type { SignInResult } from '../auth/signIn';
import type { ConnectDependencies } from './connectCommands';
import { COMMANDS } from './ids';
import { readAuthSettings } from './settings';
import { apiTokenFlow, oauthFlow, patFlow, type Draft, type FlowOutcome } from './signInFlows';

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

/** Connect Atlassian; with `again`, signs that connection in again (its method, its site and email pre-filled). */
export async function connect(deps: ConnectDependencies, again?: ConnectionInfo): Promise<ConnectionInfo | undefined> {
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

function methodName(method: AuthMethod): string {
  return method === 'oauth'
    ? vscode.l10n.t('browser sign-in (OAuth)')
    : method === 'apiToken'
      ? vscode.l10n.t('an API token')
      : vscode.l10n.t('a personal access token');
}

// Ticks the getting-started walkthrough's steps from what the person has done, also before they open
// it: each step completes on a context key that is set at activation from remembered progress and
// again as things happen (the My Issues view shown, VS Code starting the bridge, a remote server set).
import * as vscode from 'vscode';
import { CONTEXT_KEYS } from './ids';
import { fullSettingName, SETTING, SETTINGS_SECTION } from './settings';

type RememberedStep = typeof CONTEXT_KEYS.issuesSeen | typeof CONTEXT_KEYS.bridgeStarted;

export interface WalkthroughProgress extends vscode.Disposable {
  /** VS Code asked for the bridge's launch: the agent step is done. */
  bridgeStarted(): void;
}

export function registerWalkthroughProgress(deps: {
  readonly state: vscode.Memento;
  readonly issuesView: vscode.TreeView<unknown>;
  readonly hasConnections: () => boolean;
  readonly onConnectionsChange: (listener: () => void) => vscode.Disposable | { dispose(): void };
}): WalkthroughProgress {
  const mark = (key: RememberedStep) => {
    void vscode.commands.executeCommand('setContext', key, true);
    if (!deps.state.get<boolean>(key)) void deps.state.update(key, true);
  };
  for (const key of [CONTEXT_KEYS.issuesSeen, CONTEXT_KEYS.bridgeStarted] as const)
    if (deps.state.get<boolean>(key)) void vscode.commands.executeCommand('setContext', key, true);

  // Seen: the view is showing issues of a connection (not only its welcome).
  const issuesShown = () => {
    if (deps.issuesView.visible && deps.hasConnections()) mark(CONTEXT_KEYS.issuesSeen);
  };
  issuesShown();

  const remoteServers = () =>
    void vscode.commands.executeCommand(
      'setContext',
      CONTEXT_KEYS.remoteServersConfigured,
      (vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown[]>(SETTING.remoteServers) ?? []).length > 0,
    );
  remoteServers();

  const disposables = [
    deps.issuesView.onDidChangeVisibility(issuesShown),
    deps.onConnectionsChange(issuesShown),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(fullSettingName(SETTING.remoteServers))) remoteServers();
    }),
  ];
  return {
    bridgeStarted: () => mark(CONTEXT_KEYS.bridgeStarted),
    dispose: () => {
      for (const d of disposables) d.dispose();
    },
  };
}

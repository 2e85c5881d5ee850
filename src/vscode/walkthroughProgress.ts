// Ticks the getting-started walkthrough's steps from what the person has done, also before they open
// it. VS Code creates its walkthrough service only when a walkthrough is first shown and then ignores
// any `onContext` completion whose key was already set (VS Code 1.139 adds it to the session's
// events without progressing the step), so each step is also marked done directly, which VS Code
// remembers. The context keys stay for the manifest's completion events.
import * as vscode from 'vscode';
import { CONTEXT_KEYS } from './ids';
import { fullSettingName, SETTING, SETTINGS_SECTION } from './settings';

export const WALKTHROUGH_ID = 'gettingStarted';
type Step = 'connect' | 'issues' | 'agent' | 'remote';

export interface WalkthroughProgress extends vscode.Disposable {
  /** VS Code asked for the bridge's launch: the agent step is done. */
  bridgeStarted(): void;
}

export function registerWalkthroughProgress(deps: {
  readonly extensionId: string;
  readonly issuesView: vscode.TreeView<unknown>;
  readonly hasConnections: () => boolean;
  readonly onConnectionsChange: (listener: () => void) => { dispose(): void };
  readonly onError: (message: string) => void;
}): WalkthroughProgress {
  const marked = new Set<Step>();
  const done = (step: Step, contextKey?: string) => {
    if (contextKey) void vscode.commands.executeCommand('setContext', contextKey, true);
    if (marked.has(step)) return;
    marked.add(step);
    // Editors without VS Code's walkthroughs (or an older one) lack the command: the step then
    // completes from its completion events alone.
    vscode.commands
      .executeCommand('welcome.markStepComplete', `${deps.extensionId}#${WALKTHROUGH_ID}#${step}`)
      .then(undefined, (err: unknown) => deps.onError(`Walkthrough step ${step}: ${String(err)}`));
  };

  const connectionsChanged = () => {
    if (!deps.hasConnections()) return;
    done('connect');
    // Seen: the view is showing issues of a connection (not only its welcome).
    if (deps.issuesView.visible) done('issues', CONTEXT_KEYS.issuesSeen);
  };
  connectionsChanged();

  const remoteServers = () => {
    const configured =
      (vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown[]>(SETTING.remoteServers) ?? []).length > 0;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.remoteServersConfigured, configured);
    if (configured) done('remote');
  };
  remoteServers();

  const disposables = [
    deps.issuesView.onDidChangeVisibility(connectionsChanged),
    deps.onConnectionsChange(connectionsChanged),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(fullSettingName(SETTING.remoteServers))) remoteServers();
    }),
  ];
  return {
    bridgeStarted: () => done('agent', CONTEXT_KEYS.bridgeStarted),
    dispose: () => {
      for (const d of disposables) d.dispose();
    },
  };
}

// Palette and view commands.
import * as vscode from 'vscode';
import { COMMANDS } from './ids';

export interface CommandDependencies {
  readonly output: vscode.LogOutputChannel;
}

const SIGN_IN_METHODS: readonly (vscode.QuickPickItem & { id: string })[] = [
  { id: 'oauth', label: '$(globe) Atlassian Cloud — sign in with the browser', detail: 'OAuth 2.0 (3LO) with your own OAuth app' },
  { id: 'apiToken', label: '$(key) Atlassian Cloud — API token', detail: 'Site URL, email and an API token' },
  { id: 'pat', label: '$(server) Jira / Confluence Data Center — personal access token', detail: 'Base URL and a personal access token' },
];

export function registerCommands(deps: CommandDependencies): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.connect, async () => {
      const method = await vscode.window.showQuickPick(SIGN_IN_METHODS, {
        title: 'Connect Atlassian',
        placeHolder: 'How do you want to sign in?',
      });
      if (method) {
        void vscode.window.showInformationMessage(`Signing in with "${method.label.replace(/^\$\([^)]*\)\s*/, '')}" is not available in this build yet.`);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.showLog, () => deps.output.show(true)),
  );
}

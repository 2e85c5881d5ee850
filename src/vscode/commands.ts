// Small commands that need no service of their own.
import * as vscode from 'vscode';
import { COMMANDS } from './ids';

export function registerCommands(output: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.showLog, () => output.show(true));
}

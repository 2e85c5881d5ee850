// The activation baseline: the smallest extension with ours's activation trigger and shape. VS Code
// activates it the same way (asking its MCP provider for servers, `onMcpCollection:`), it registers a
// command and an MCP server definition provider, and it does nothing else. bench/bundles.ts bundles it
// with the extension's production options and writes its manifest.
// eslint-disable-next-line no-restricted-imports -- runs inside the editor, like test/editor/
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('ambBenchTrivial.hello', () => 'hello'),
    vscode.lm.registerMcpServerDefinitionProvider('ambBenchTrivial.servers', { provideMcpServerDefinitions: () => [] }),
  );
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}

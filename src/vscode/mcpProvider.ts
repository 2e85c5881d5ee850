// Publishes Atlassian MCP servers to VS Code. Signed out, it offers none; the local bridge and the
// remote servers arrive with sign-in (they need a connection to supply credentials).
import * as vscode from 'vscode';

export class AtlassianMcpServerProvider implements vscode.McpServerDefinitionProvider<vscode.McpServerDefinition>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changed.event;
  /** How often VS Code asked for definitions: proof that the manifest id matches the registration. */
  private definitionRequests = 0;

  get requestCount(): number {
    return this.definitionRequests;
  }

  provideMcpServerDefinitions(): vscode.McpServerDefinition[] {
    this.definitionRequests++;
    return [];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

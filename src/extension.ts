// Composition root: builds every service once, wires them by constructor injection and hands each
// registration to the extension context so deactivation disposes all of it.
import * as vscode from 'vscode';
import { createLogger } from './core/logger';
import { SecretRedactor } from './core/redact';
import { registerCommands } from './vscode/commands';
import { CONTEXT_KEYS, MCP_PROVIDER_ID, VIEWS } from './vscode/ids';
import { createOutputChannelSink } from './vscode/log';
import { AtlassianMcpServerProvider } from './vscode/mcpProvider';
import { registerViews } from './vscode/views';

/** What activate() returns: read by the editor tests to observe the wiring. */
export interface ExtensionApi {
  readonly mcpDefinitionRequests: () => number;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const output = vscode.window.createOutputChannel('Atlassian MCP Bridge', { log: true });
  const redactor = new SecretRedactor();
  const log = createLogger(createOutputChannelSink(output), redactor);

  const mcpProvider = new AtlassianMcpServerProvider();
  context.subscriptions.push(
    output,
    mcpProvider,
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, mcpProvider),
    registerViews([VIEWS.myIssues, VIEWS.connection]),
    registerCommands({ output }),
  );
  void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.connected, false);

  log.info('Atlassian MCP Bridge %s activated (VS Code %s, %s).', context.extension.packageJSON.version, vscode.version, vscode.env.appName);
  return { mcpDefinitionRequests: () => mcpProvider.requestCount };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}

// Composition root: builds every service once, wires them by constructor injection and hands each
// registration to the extension context so deactivation disposes all of it.
import * as vscode from 'vscode';
import { ConnectionManager } from './auth/connections';
import { createCredentialBroker, createRemoteCredentials } from './auth/credentialBroker';
import { startChannelServer, type ChannelServer } from './credentials/channelServer';
import { AtlassianOAuthClient } from './auth/oauthClient';
import type { SecretStore } from './auth/secrets';
import { rootCertificates } from 'node:tls';
import { createFetch } from './atlassian/transport';
import { createLogger } from './core/logger';
import { ForwardingProxy } from './remote/forwardingProxy';
import { SecretRedactor } from './core/redact';
import { registerCommands } from './vscode/commands';
import { registerConnectCommands } from './vscode/connectCommands';
import { MCP_PROVIDER_ID, VIEWS } from './vscode/ids';
import { fullSettingName, readNetworkSettings, SETTING } from './vscode/settings';
import { createOutputChannelSink } from './vscode/log';
import { AtlassianMcpServerProvider } from './vscode/mcpProvider';
import { secretStoreFrom } from './vscode/secretStore';
import { registerViews } from './vscode/views';

/**
 * What activate() returns to the editor tests, and only to them: any extension can read another's
 * exports, so in normal use there are none (they would hand out credentials).
 */
export interface ExtensionApi {
  readonly mcpDefinitionRequests: () => number;
  readonly connections: ConnectionManager;
  readonly secrets: SecretStore;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi | undefined {
  const output = vscode.window.createOutputChannel('Atlassian MCP Bridge', { log: true });
  const redactor = new SecretRedactor();
  const log = createLogger(createOutputChannelSink(output), redactor);

  const network = () => readNetworkSettings((problem) => log.warn('%s', problem));
  // Rebuilt when the CA file or VS Code's proxy settings change; everything holds this one function.
  let currentFetch = createFetch(network());
  const httpFetch = ((input, init) => currentFetch(input, init)) as typeof fetch;
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(fullSettingName(SETTING.caFile)) || e.affectsConfiguration('http')) {
        currentFetch = createFetch(network());
      }
    }),
  );

  const secrets = secretStoreFrom(context.secrets);
  const connections = new ConnectionManager({
    secrets,
    metadata: context.globalState,
    redactor,
    log,
    // Refreshing needs only the endpoints and client id; scopes were fixed at consent.
    refresherFor: (grant) => new AtlassianOAuthClient(grant, { clientId: grant.clientId, redirectUri: grant.redirectUri, scopes: [] }, { fetch: httpFetch }),
  });
  void connections.rememberAllSecrets();

  let channel: Promise<ChannelServer> | undefined;
  const startChannel = () => (channel ??= startChannelServer(createCredentialBroker(connections), { onError: (err) => log.error('Credentials channel: %s', err) }));

  // The forwarding endpoint reads the CA once; a changed CA file applies after a window reload.
  const { caPem } = network();
  const forwardingProxy = new ForwardingProxy(createRemoteCredentials(connections), {
    logger: log,
    clientVersion: context.extension.packageJSON.version as string,
    ...(caPem ? { ca: [...rootCertificates, caPem] } : {}),
  });
  const mcpProvider = new AtlassianMcpServerProvider({
    connections,
    bridgePath: context.asAbsolutePath('dist/bridge.js'),
    compileCacheDir: vscode.Uri.joinPath(context.globalStorageUri, 'bridge-compile-cache').fsPath,
    extensionVersion: context.extension.packageJSON.version as string,
    log,
    channel: startChannel,
    network,
    remotes: forwardingProxy,
  });
  context.subscriptions.push(
    output,
    { dispose: () => void channel?.then((c) => c.close()) },
    { dispose: () => void forwardingProxy.close() },
    connections,
    mcpProvider,
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, mcpProvider),
    registerViews([VIEWS.myIssues, VIEWS.connection]),
    registerCommands(output),
    registerConnectCommands({ connections, secrets: context.secrets, log, fetch: httpFetch }),
  );

  log.info('Atlassian MCP Bridge %s activated (VS Code %s, %s).', context.extension.packageJSON.version, vscode.version, vscode.env.appName);
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return { mcpDefinitionRequests: () => mcpProvider.requestCount, connections, secrets };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}

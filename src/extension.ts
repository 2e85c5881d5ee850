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
import { LazyForwardingProxy } from './remote/lazyForwardingProxy';
import { SecretRedactor } from './core/redact';
import { registerCommands } from './vscode/commands';
import { registerConnectCommands } from './vscode/connectCommands';
import { BRIDGE_TOOL_PREFIX, MCP_PROVIDER_ID } from './vscode/ids';
import { fullSettingName, readNetworkSettings, SETTING } from './vscode/settings';
import { createOutputChannelSink } from './vscode/log';
import { AtlassianMcpServerProvider, type BridgeLaunch } from './vscode/mcpProvider';
import { secretStoreFrom } from './vscode/secretStore';
import { jiraClientFactory } from './atlassian/jiraClient';
import { confluenceCheckFactory } from './health/confluenceCheck';
import { HealthModel } from './health/health';
import { remoteProber } from './health/remoteProbe';
import { IssueListModel } from './issues/issueList';
import { planServers } from './mcp/serverPlan';
import { registerConnectionView, type ConnectionView } from './vscode/connectionView';
import { registerDiagnosticsCommand } from './vscode/diagnosticsCommand';
import { ACTIVITY_LOG_FILE, ACTIVITY_LOG_MAX_BYTES, registerAgentActivity } from './vscode/agentActivity';
import { registerIssuesView, type IssuesView } from './vscode/issuesView';
import { registerIssueDetails, type IssueDetails } from './vscode/issueDetail';
import { registerIssueSearch } from './vscode/issueSearch';
import { registerIssueCreation, type IssueCreation } from './vscode/issueCreate';
import { registerIssueKeys } from './vscode/issueKeys';
import { registerChatContext, type ChatContext } from './vscode/chatContext';
import { registerMcpJsonCommands, type McpJsonCommands } from './vscode/mcpJsonCommands';
import { registerStartWork, type StartWork } from './vscode/startWork';
import { IssueKeyIndex } from './issues/keys/issueKeyIndex';
import { translateCoreMessages } from './vscode/l10n';
import { readIssueSettings, readMcpSettings } from './vscode/settings';
import { createStatusBarItem } from './vscode/statusBar';
import { registerWalkthroughProgress } from './vscode/walkthroughProgress';

/**
 * What activate() returns to the editor tests, and only to them: any extension can read another's
 * exports, so in normal use there are none (they would hand out credentials).
 */
export interface ExtensionApi {
  readonly mcpDefinitionRequests: () => number;
  readonly connections: ConnectionManager;
  readonly secrets: SecretStore;
  readonly issues: IssueListModel;
  readonly health: HealthModel;
  readonly issuesView: IssuesView;
  readonly connectionView: ConnectionView;
  readonly issueDetails: IssueDetails;
  readonly issueCreation: IssueCreation;
  readonly statusBarItem: vscode.StatusBarItem;
  readonly startWork: StartWork;
  readonly chatContext: ChatContext;
  readonly mcpJson: McpJsonCommands;
  /** Everything the extension wrote or handed out, for the secret-leak scan. */
  readonly footprint: () => ExtensionFootprint;
}

export interface ExtensionFootprint {
  readonly globalStorage: string;
  readonly logs: string;
  readonly workspaceStorage: string | undefined;
  /** Every globalState key with its value. */
  readonly globalState: Readonly<Record<string, unknown>>;
  readonly bridgeLaunch: BridgeLaunch | undefined;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi | undefined {
  translateCoreMessages();
  const output = vscode.window.createOutputChannel('Atlassian MCP Bridge', { log: true });
  const redactor = new SecretRedactor();
  const log = createLogger(createOutputChannelSink(output), redactor);

  const readNetwork = () => readNetworkSettings((problem) => log.warn('%s', problem));
  // Read once and again only when the settings change (the CA file is read from disk).
  let network = readNetwork();
  // Rebuilt when the CA file or VS Code's proxy settings change; everything holds this one function.
  let currentFetch = createFetch(network);
  const httpFetch = ((input, init) => currentFetch(input, init)) as typeof fetch;
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(fullSettingName(SETTING.caFile)) || e.affectsConfiguration('http')) {
        network = readNetwork();
        currentFetch = createFetch(network);
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
    refresherFor: (grant) =>
      new AtlassianOAuthClient(
        grant,
        { clientId: grant.clientId, redirectUri: grant.redirectUri, scopes: [] },
        { fetch: httpFetch },
      ),
  });
  void connections.rememberAllSecrets();

  let channel: Promise<ChannelServer> | undefined;
  const startChannel = () =>
    (channel ??= startChannelServer(createCredentialBroker(connections), {
      onError: (err) => log.error('Credentials channel: %s', err),
    }));

  // The forwarding endpoint reads the CA once, when a remote first needs it; a changed CA file applies
  // after a window reload.
  const forwardingProxy = new LazyForwardingProxy(createRemoteCredentials(connections), () => {
    const { caPem } = network;
    return {
      logger: log,
      clientVersion: (context.extension.packageJSON as { version: string }).version,
      ...(caPem ? { ca: [...rootCertificates, caPem] } : {}),
    };
  });
  const activityLog = vscode.Uri.joinPath(context.globalStorageUri, ACTIVITY_LOG_FILE).fsPath;
  const mcpProvider = new AtlassianMcpServerProvider({
    connections,
    bridgePath: context.asAbsolutePath('dist/bridge.js'),
    compileCacheDir: vscode.Uri.joinPath(context.globalStorageUri, 'bridge-compile-cache').fsPath,
    extensionVersion: (context.extension.packageJSON as { version: string }).version,
    log,
    // Asked for only when VS Code starts the bridge: the walkthrough's agent step is then done.
    channel: () => {
      walkthrough.bridgeStarted();
      return startChannel();
    },
    network: () => network,
    remotes: forwardingProxy,
    auditLog: { path: activityLog, maxBytes: ACTIVITY_LOG_MAX_BYTES },
  });
  const extensionVersion = (context.extension.packageJSON as { version: string }).version;
  const jira = jiraClientFactory((id) => connections.credentials(id), {
    fetch: httpFetch,
    userAgent: `atlassian-mcp-bridge/${extensionVersion}`,
  });
  const redact = (text: string) => redactor.redact(text);
  const currentPlan = () =>
    planServers({
      extensionVersion,
      connections: connections.list(),
      defaultConnectionId: connections.defaultConnection()?.id,
      ...readMcpSettings(),
    });
  const bridgeToolCount = () => vscode.lm.tools.filter((t) => t.name.startsWith(BRIDGE_TOOL_PREFIX)).length;
  const health = new HealthModel({
    connections,
    jira,
    confluence: confluenceCheckFactory((id) => connections.credentials(id), {
      fetch: httpFetch,
      userAgent: `atlassian-mcp-bridge/${extensionVersion}`,
    }),
    defaultConnectionId: () => connections.defaultConnection()?.id,
    plan: currentPlan,
    bridgeToolCount,
    probe: remoteProber(forwardingProxy, currentPlan),
    redact,
  });
  const issues = new IssueListModel({
    connections,
    jira,
    filters: readIssueSettings().filters,
    onApiOutcome: (id, err) => health.noteApiOutcome(id, err),
    redact,
  });
  const issuesView = registerIssuesView({
    model: issues,
    jira,
    onApiOutcome: (id, err) => health.noteApiOutcome(id, err),
    onAutoRefresh: () => void health.check({ remotes: false }),
  });
  const walkthrough = registerWalkthroughProgress({
    extensionId: context.extension.id,
    issuesView: issuesView.treeView,
    hasConnections: () => connections.list().length > 0,
    onConnectionsChange: (listener) => connections.onDidChange(listener),
    onError: (message) => log.warn('%s', message),
  });
  const issueDetails = registerIssueDetails({
    connections: () => connections.list(),
    jira,
    extensionUri: context.extensionUri,
    storageUri: context.globalStorageUri,
    onApiOutcome: (id, err) => health.noteApiOutcome(id, err),
    onIssueChanged: (id) => void issues.refresh(id),
  });
  const issueCreation = registerIssueCreation({
    connections: () => connections.list(),
    defaultConnection: () => connections.defaultConnection(),
    jira,
    extensionUri: context.extensionUri,
    state: context.globalState,
    onApiOutcome: (id, err) => health.noteApiOutcome(id, err),
    onIssueCreated: (id) => void issues.refresh(id),
  });
  const startWork = registerStartWork({
    connections: () => connections.list(),
    jira,
    workspaceState: context.workspaceState,
    globalState: context.globalState,
    onApiOutcome: (id, err) => health.noteApiOutcome(id, err),
    onIssueChanged: (id) => void issues.refresh(id),
  });
  const chatContext = registerChatContext({
    connections: () => connections.list(),
    defaultConnectionId: () => connections.defaultConnection()?.id,
    jira,
    credentials: (id) => connections.credentials(id),
    http: { fetch: httpFetch, userAgent: `atlassian-mcp-bridge/${extensionVersion}` },
    activeIssue: () => [...issueDetails.panels.values()].find((p) => p.panel.active),
  });
  const mcpJson = registerMcpJsonCommands({
    bridgePath: context.asAbsolutePath('dist/bridge.js'),
    globalStorage: context.globalStorageUri,
    state: context.globalState,
    channel: startChannel,
    log,
  });
  const connectionView = registerConnectionView(health, bridgeToolCount);
  const statusBar = createStatusBarItem(health);
  // The status bar should tell the truth from the start, not only once the Connection view is opened.
  if (connections.list().length > 0) void health.check({ remotes: false });

  context.subscriptions.push(
    output,
    { dispose: () => void channel?.then((c) => c.close()) },
    { dispose: () => void forwardingProxy.close() },
    connections,
    mcpProvider,
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, mcpProvider),
    health,
    issues,
    issuesView,
    walkthrough,
    issueDetails,
    issueCreation,
    startWork,
    chatContext,
    mcpJson,
    registerIssueSearch({
      model: issues,
      connections: () => connections.list(),
      defaultConnection: () => connections.defaultConnection(),
      jira,
      state: context.globalState,
    }),
    registerIssueKeys({
      index: new IssueKeyIndex({
        connections: () => connections.list(),
        jira,
        onApiOutcome: (id, err) => health.noteApiOutcome(id, err),
      }),
      connections: () => connections.list(),
      onConnectionsChange: (listener) => connections.onDidChange(listener),
    }),
    connectionView,
    statusBar,
    registerDiagnosticsCommand({ health, issues, connections, secrets: context.secrets, extensionVersion, redact }),
    registerCommands(output),
    registerAgentActivity(activityLog),
    registerConnectCommands({ connections, secrets: context.secrets, log, fetch: httpFetch }),
  );

  log.info(
    'Atlassian MCP Bridge %s activated (VS Code %s, %s).',
    (context.extension.packageJSON as { version: string }).version,
    vscode.version,
    vscode.env.appName,
  );
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  const footprint = (): ExtensionFootprint => ({
    globalStorage: context.globalStorageUri.fsPath,
    logs: context.logUri.fsPath,
    workspaceStorage: context.storageUri?.fsPath,
    globalState: Object.fromEntries(context.globalState.keys().map((key) => [key, context.globalState.get(key)])),
    bridgeLaunch: mcpProvider.lastBridgeLaunch,
  });
  return {
    mcpDefinitionRequests: () => mcpProvider.requestCount,
    connections,
    secrets,
    issues,
    health,
    issuesView,
    connectionView,
    issueDetails,
    issueCreation,
    statusBarItem: statusBar.item,
    startWork,
    chatContext,
    mcpJson,
    footprint,
  };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}

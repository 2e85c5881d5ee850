// Identifiers shared by the manifest (package.json) and the code; a test checks both agree.
export const COMMANDS = {
  connect: 'atlassianMcpBridge.connect',
  disconnect: 'atlassianMcpBridge.disconnect',
  setDefault: 'atlassianMcpBridge.setDefaultConnection',
  makeDefault: 'atlassianMcpBridge.makeDefault',
  reconnect: 'atlassianMcpBridge.reconnect',
  openSite: 'atlassianMcpBridge.openSite',
  copyCloudId: 'atlassianMcpBridge.copyCloudId',
  showLog: 'atlassianMcpBridge.showLog',
  refreshIssues: 'atlassianMcpBridge.refreshIssues',
  toggleGroupByStatus: 'atlassianMcpBridge.toggleGroupByStatus',
  loadMoreIssues: 'atlassianMcpBridge.loadMoreIssues',
  retryIssues: 'atlassianMcpBridge.retryIssues',
  openIssueInBrowser: 'atlassianMcpBridge.openIssueInBrowser',
  copyIssueKey: 'atlassianMcpBridge.copyIssueKey',
  copyIssueLink: 'atlassianMcpBridge.copyIssueLink',
  transitionIssue: 'atlassianMcpBridge.transitionIssue',
  commentOnIssue: 'atlassianMcpBridge.commentOnIssue',
  assignIssueToMe: 'atlassianMcpBridge.assignIssueToMe',
  openIssue: 'atlassianMcpBridge.openIssue',
  openIssueByKey: 'atlassianMcpBridge.openIssueByKey',
  searchIssues: 'atlassianMcpBridge.searchIssues',
  saveSearchAsFilter: 'atlassianMcpBridge.saveSearchAsFilter',
  addIssueFilter: 'atlassianMcpBridge.addIssueFilter',
  removeIssueFilter: 'atlassianMcpBridge.removeIssueFilter',
  checkConnection: 'atlassianMcpBridge.checkConnection',
  runDiagnostics: 'atlassianMcpBridge.runDiagnostics',
  copyDiagnosticsReport: 'atlassianMcpBridge.copyDiagnosticsReport',
  showIssues: 'atlassianMcpBridge.showIssues',
  createIssue: 'atlassianMcpBridge.createIssue',
  createSubtask: 'atlassianMcpBridge.createSubtask',
  createIssueFromTodo: 'atlassianMcpBridge.createIssueFromTodo',
  startWork: 'atlassianMcpBridge.startWork',
  stopWork: 'atlassianMcpBridge.stopWork',
  showAgentActivity: 'atlassianMcpBridge.showAgentActivity',
  addIssueToChat: 'atlassianMcpBridge.addIssueToChat',
  askAgentAboutIssue: 'atlassianMcpBridge.askAgentAboutIssue',
  addPageToChat: 'atlassianMcpBridge.addPageToChat',
  addBridgeToMcpJson: 'atlassianMcpBridge.addBridgeToMcpJson',
  removeBridgeFromMcpJson: 'atlassianMcpBridge.removeBridgeFromMcpJson',
} as const;

export const VIEWS = {
  myIssues: 'atlassianMcpBridge.myIssues',
  connection: 'atlassianMcpBridge.connection',
} as const;

export const MCP_PROVIDER_ID = 'atlassianMcpBridge.servers';

/** The scheme of the diagnostics report's read-only document. */
export const DIAGNOSTICS_SCHEME = 'atlassian-mcp-bridge-diagnostics';

/** The scheme of the agent activity's read-only document. */
export const ACTIVITY_SCHEME = 'atlassian-mcp-bridge-activity';

export const STATUS_BAR_ID = 'atlassianMcpBridge.status';

/** How VS Code names the local bridge's tools in `vscode.lm.tools` (derived from its label). */
export const BRIDGE_TOOL_PREFIX = 'mcp_atlassian_mcp_';

/** Context keys read by `when` clauses in the manifest. */
export const CONTEXT_KEYS = {
  connected: 'atlassianMcpBridge.connected',
  /** Start Work is under way on an issue in this workspace (Stop Work is offered). */
  workingOnIssue: 'atlassianMcpBridge.workingOnIssue',
  /** The walkthrough's steps, set from what was done, also before the walkthrough was opened. */
  issuesSeen: 'atlassianMcpBridge.walkthrough.issuesSeen',
  bridgeStarted: 'atlassianMcpBridge.walkthrough.bridgeStarted',
  remoteServersConfigured: 'atlassianMcpBridge.walkthrough.remoteServersConfigured',
} as const;

// Identifiers shared by the manifest (package.json) and the code; a test checks both agree.
export const COMMANDS = {
  connect: 'atlassianMcpBridge.connect',
  disconnect: 'atlassianMcpBridge.disconnect',
  setDefault: 'atlassianMcpBridge.setDefaultConnection',
  showLog: 'atlassianMcpBridge.showLog',
} as const;

export const VIEWS = {
  myIssues: 'atlassianMcpBridge.myIssues',
  connection: 'atlassianMcpBridge.connection',
} as const;

export const MCP_PROVIDER_ID = 'atlassianMcpBridge.servers';

/** Context keys read by `when` clauses in the manifest. */
export const CONTEXT_KEYS = {
  connected: 'atlassianMcpBridge.connected',
} as const;

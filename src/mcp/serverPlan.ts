// Which MCP servers the extension publishes, computed from the connections and settings alone, so
// that `provideMcpServerDefinitions` stays cheap and never prompts. Labels are stable; each
// server's `version` changes exactly when what it offers changes (VS Code restarts it then).
import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import type { ConnectionInfo } from '../auth/connections';

export interface BridgeSettings {
  readonly toolsets: readonly string[];
  readonly enabledTools: readonly string[];
  readonly readOnly: boolean;
  readonly projectsFilter: string;
  readonly spacesFilter: string;
}

export interface RemoteServerSetting {
  readonly label: string;
  readonly url: string;
  /** Connection id or site name that supplies the credentials; the default connection when absent. */
  readonly connection?: string;
  /** Extra non-secret headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RovoSetting {
  readonly enabled: boolean;
  readonly url: string;
}

// The labels identify the servers: VS Code derives a server's id ("<extension id>/<label>"), and with
// it the server's trust, tool choices and state, from its label, and resolveMcpServerDefinition finds
// a server by it. So they are not translated: a label that followed the display language would make
// VS Code treat the same server as a new one.
export const BRIDGE_LABEL = 'Atlassian MCP Bridge';

/**
 * V8 flags for the bridge process: it is I/O-bound, so the optimising compilers cost more memory
 * than they save time (bench/: about −11 MB peak, no measurable slowdown over 100 tool calls).
 */
export const BRIDGE_NODE_FLAGS: readonly string[] = ['--lite-mode'];
export const ROVO_LABEL = 'Atlassian Rovo (hosted)';

export type PlannedServer =
  | {
      readonly kind: 'bridge';
      readonly label: string;
      readonly env: Readonly<Record<string, string>>;
      readonly version: string;
    }
  | {
      readonly kind: 'remote';
      readonly id: string;
      readonly label: string;
      readonly url: string;
      readonly connectionId: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly version: string;
    }
  | { readonly kind: 'rovo'; readonly label: string; readonly url: string; readonly version: string };

export interface ServerPlan {
  readonly servers: readonly PlannedServer[];
  /** Settings that could not be honoured, in words for the log and the health view. */
  readonly problems: readonly string[];
}

export interface PlanInput {
  readonly extensionVersion: string;
  readonly connections: readonly ConnectionInfo[];
  readonly defaultConnectionId: string | undefined;
  readonly bridge: BridgeSettings;
  readonly remotes: readonly RemoteServerSetting[];
  readonly rovo: RovoSetting;
}

export function planServers(input: PlanInput): ServerPlan {
  const servers: PlannedServer[] = [];
  const problems: string[] = [];

  if (input.connections.length > 0) {
    const env = bridgeEnvironment(input.bridge);
    const connectionSet = input.connections.map((c) => c.id).sort();
    servers.push({
      kind: 'bridge',
      label: BRIDGE_LABEL,
      env,
      version: versionOf(input.extensionVersion, env, connectionSet),
    });
  }

  const labels = new Set(servers.map((s) => s.label));
  for (const remote of input.remotes) {
    const label = remote.label.trim();
    if (!label || labels.has(label) || label === ROVO_LABEL) {
      problems.push(
        l10n.t({
          message: 'Remote MCP server "{0}" needs a label of its own.',
          args: [remote.label],
          comment: [
            'Keep the straight double quotes around {0}: the Connection view takes the first quoted text as the name of the server.',
          ],
        }),
      );
      continue;
    }
    const urlProblem = remoteUrlProblem(remote.url);
    if (urlProblem) {
      problems.push(
        l10n.t({
          message: 'Remote MCP server "{0}": {1}',
          args: [label, urlProblem],
          comment: [
            'Keep the straight double quotes around {0}: the Connection view takes the first quoted text as the name of the server.',
          ],
        }),
      );
      continue;
    }
    const connection = findConnection(input.connections, remote.connection ?? input.defaultConnectionId);
    if (!connection) {
      problems.push(
        remote.connection
          ? l10n.t({
              message:
                'Remote MCP server "{0}" has no connection to supply credentials ("{1}" is not connected): run "Connect Atlassian".',
              args: [label, remote.connection],
              comment: [
                'Keep the straight double quotes around {0}: the Connection view takes the first quoted text as the name of the server.',
              ],
            })
          : l10n.t({
              message: 'Remote MCP server "{0}" has no connection to supply credentials: run "Connect Atlassian".',
              args: [label],
              comment: [
                'Keep the straight double quotes around {0}: the Connection view takes the first quoted text as the name of the server.',
              ],
            }),
      );
      continue;
    }
    if (connection.flavour === 'cloud' && !connection.cloudId) {
      // Cloud servers route by X-Atlassian-Cloud-Id; without it every call would fail obscurely.
      problems.push(
        l10n.t({
          message: 'Remote MCP server "{0}": the connection to {1} has no cloud id; reconnect it.',
          args: [label, connection.siteName],
          comment: [
            'Keep the straight double quotes around {0}: the Connection view takes the first quoted text as the name of the server.',
          ],
        }),
      );
      continue;
    }
    const headers = { ...remote.headers };
    labels.add(label);
    servers.push({
      kind: 'remote',
      id: `remote:${label}`,
      label,
      url: remote.url,
      connectionId: connection.id,
      headers,
      version: versionOf(input.extensionVersion, remote.url, connection.id, headers),
    });
  }

  if (input.rovo.enabled) {
    const urlProblem = remoteUrlProblem(input.rovo.url);
    if (urlProblem) problems.push(l10n.t('Atlassian Rovo MCP server: {0}', urlProblem));
    else
      servers.push({
        kind: 'rovo',
        label: ROVO_LABEL,
        url: input.rovo.url,
        version: versionOf(input.extensionVersion, input.rovo.url),
      });
  }
  return { servers, problems };
}

/** The bridge's configuration travels as the environment names mcp-atlassian uses. */
function bridgeEnvironment(bridge: BridgeSettings): Record<string, string> {
  const env: Record<string, string> = {};
  if (bridge.toolsets.length > 0) env.TOOLSETS = bridge.toolsets.join(',');
  if (bridge.enabledTools.length > 0) env.ENABLED_TOOLS = bridge.enabledTools.join(',');
  if (bridge.readOnly) env.READ_ONLY_MODE = 'true';
  if (bridge.projectsFilter.trim()) env.JIRA_PROJECTS_FILTER = bridge.projectsFilter.trim();
  if (bridge.spacesFilter.trim()) env.CONFLUENCE_SPACES_FILTER = bridge.spacesFilter.trim();
  return env;
}

function findConnection(
  connections: readonly ConnectionInfo[],
  wanted: string | undefined,
): ConnectionInfo | undefined {
  if (!wanted) return connections[0];
  const w = wanted.toLowerCase();
  return connections.find(
    (c) => c.id === wanted || c.siteName.toLowerCase() === w || c.siteUrl.toLowerCase() === w || c.cloudId === wanted,
  );
}

/** https anywhere; plain http only on this machine (a local self-hosted server). */
export function remoteUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return l10n.t('"{0}" is not a URL.', url);
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) return undefined;
  return l10n.t('{0} must use https (plain http is only accepted for servers on this machine).', parsed.origin);
}

function versionOf(...parts: unknown[]): string {
  const [extensionVersion] = parts;
  const hash = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12);
  return `${String(extensionVersion)}+${hash}`;
}

// Publishes Atlassian MCP servers to VS Code: the bundled bridge (stdio, credentials over the local
// channel), the remote servers from settings (through the local forwarding endpoint, which adds a
// fresh token to every request), and, opted in, Atlassian's hosted Rovo server (VS Code's own
// OAuth handles that one). `provide` only reads settings and metadata; `resolve` makes sure a valid
// token exists before VS Code starts a server.
import { delimiter } from 'node:path';
import * as vscode from 'vscode';
import { AtlassianError } from '../atlassian/errors';
import type { ConnectionManager } from '../auth/connections';
import type { ChannelServer } from '../credentials/channelServer';
import type { Logger } from '../core/logger';
import type { RemoteServerConfig, RouteResult } from '../remote/forwardingProxy';
import { BRIDGE_NODE_FLAGS, planServers, type PlannedServer } from '../mcp/serverPlan';
import { readMcpSettings, SETTINGS_SECTION, type NetworkSettings } from './settings';

/** The forwarding endpoint: a local route per remote server (ForwardingProxy.configure). */
export interface RemoteRoutes {
  configure(remotes: readonly RemoteServerConfig[]): Promise<readonly RouteResult[]>;
}

type RemotePlan = Extract<PlannedServer, { kind: 'remote' }>;

export interface McpProviderDependencies {
  readonly connections: ConnectionManager;
  readonly bridgePath: string;
  /** Node's on-disk compile cache for the bridge (faster second and later starts). */
  readonly compileCacheDir: string;
  readonly extensionVersion: string;
  readonly log: Logger;
  /** CA file and proxy: the bridge, a separate process, gets them as Node's environment variables. */
  readonly network: () => NetworkSettings;
  /** Starts (once) the channel the bridge asks for tokens on. */
  readonly channel: () => Promise<ChannelServer>;
  readonly remotes: RemoteRoutes;
  /** Where the bridge appends every write it performs (ATLASSIAN_AUDIT_LOG), rotated at `maxBytes`. */
  readonly auditLog?: { readonly path: string; readonly maxBytes: number };
}

type Definition = vscode.McpStdioServerDefinition | vscode.McpHttpServerDefinition;

/** How the bridge was last launched (for the editor tests' secret-leak scan). */
export interface BridgeLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | number | null>>;
}

export class AtlassianMcpServerProvider implements vscode.McpServerDefinitionProvider<Definition>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly planned = new WeakMap<Definition, PlannedServer>();
  private lastSignature = '';
  private remotesConfigured = false;
  /** How often VS Code asked for definitions: proof that the manifest id matches the registration. */
  private definitionRequests = 0;
  private lastBridge: BridgeLaunch | undefined;
  /** The last routes of the remote servers; their secrets go only into resolved definitions. */
  private remoteRoutes: ReadonlyMap<string, RouteResult> = new Map();

  constructor(private readonly deps: McpProviderDependencies) {
    const connectionsChanged = deps.connections.onDidChange(() => this.fireIfChanged());
    this.subscriptions.push(
      { dispose: () => connectionsChanged.dispose() },
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTINGS_SECTION)) this.fireIfChanged();
      }),
    );
    this.lastSignature = this.signature();
  }

  get requestCount(): number {
    return this.definitionRequests;
  }

  get lastBridgeLaunch(): BridgeLaunch | undefined {
    return this.lastBridge;
  }

  async provideMcpServerDefinitions(): Promise<Definition[]> {
    this.definitionRequests++;
    const plan = this.plan();
    for (const problem of plan.problems) this.deps.log.warn('MCP servers: %s', problem);
    const routes = await this.routes(plan.servers.filter((s): s is RemotePlan => s.kind === 'remote'));
    const definitions: Definition[] = [];
    for (const server of plan.servers) {
      try {
        const definition = this.definitionFor(server, routes);
        this.planned.set(definition, server);
        definitions.push(definition);
      } catch (err) {
        // One broken remote must not hide the others or the bridge.
        this.deps.log.error('MCP server "%s" is left out: %s', server.label, err);
      }
    }
    return definitions;
  }

  async resolveMcpServerDefinition(definition: Definition): Promise<Definition | undefined> {
    const server = this.planned.get(definition) ?? this.plan().servers.find((s) => s.label === definition.label);
    if (!server) return definition;
    if (server.kind === 'rovo') return definition;

    const connectionId = server.kind === 'remote' ? server.connectionId : this.deps.connections.defaultConnection()?.id;
    if (!connectionId)
      throw new Error(
        vscode.l10n.t(
          'Atlassian is not connected. Run "Connect Atlassian" (Command Palette or the Atlassian view), then start the server again.',
        ),
      );
    await this.ensureToken(connectionId);

    if (server.kind === 'remote') {
      // A definition VS Code restored from its cache may be resolved before any provide of this session.
      const routes = this.remoteRoutes.has(server.id)
        ? this.remoteRoutes
        : await this.routes(this.plan().servers.filter((s): s is RemotePlan => s.kind === 'remote'));
      const route = routes.get(server.id);
      if (!route || 'error' in route) return definition;
      // The route's secret rides in a header of the resolved definition only: VS Code caches
      // provided definitions on disk (mcp.extCachedServers) and writes server URLs to its logs.
      return new vscode.McpHttpServerDefinition(
        server.label,
        vscode.Uri.parse(route.definition.url),
        { ...route.definition.headers },
        server.version,
      );
    }
    if (server.kind === 'bridge') {
      const channel = await this.deps.channel();
      const resolved = new vscode.McpStdioServerDefinition(
        server.label,
        process.execPath,
        this.bridgeArgs(),
        { ...this.stdioEnv(server.env), ...channel.env },
        server.version,
      );
      this.lastBridge = { command: resolved.command, args: [...resolved.args], env: { ...resolved.env } };
      return resolved;
    }
    return definition;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private plan() {
    const settings = readMcpSettings();
    return planServers({
      extensionVersion: this.deps.extensionVersion,
      connections: this.deps.connections.list(),
      defaultConnectionId: this.deps.connections.defaultConnection()?.id,
      bridge: settings.bridge,
      remotes: settings.remotes,
      rovo: settings.rovo,
    });
  }

  /** Local routes for the remote servers; the endpoint starts only once a remote is configured. */
  private async routes(remotes: readonly RemotePlan[]): Promise<ReadonlyMap<string, RouteResult>> {
    if (remotes.length === 0 && !this.remotesConfigured) return new Map();
    this.remotesConfigured = true;
    const results = await this.deps.remotes.configure(
      remotes.map((r) => ({ id: r.id, label: r.label, url: r.url, connectionId: r.connectionId, headers: r.headers })),
    );
    this.remoteRoutes = new Map(results.map((r) => [r.id, r]));
    return this.remoteRoutes;
  }

  private definitionFor(server: PlannedServer, routes: ReadonlyMap<string, RouteResult>): Definition {
    switch (server.kind) {
      case 'bridge':
        return new vscode.McpStdioServerDefinition(
          server.label,
          process.execPath,
          this.bridgeArgs(),
          this.stdioEnv(server.env),
          server.version,
        );
      case 'remote': {
        const route = routes.get(server.id);
        if (!route || 'error' in route) throw new Error(route?.error ?? 'no local route');
        // No credentials and no route secret in the definition VS Code caches: the forwarding endpoint
        // adds fresh credentials to each request, and resolve adds the route's secret.
        return new vscode.McpHttpServerDefinition(
          server.label,
          vscode.Uri.parse(route.definition.url),
          {},
          server.version,
        );
      }
      case 'rovo':
        return new vscode.McpHttpServerDefinition(server.label, vscode.Uri.parse(server.url), {}, server.version);
    }
  }

  private bridgeArgs(): string[] {
    return [...BRIDGE_NODE_FLAGS, this.deps.bridgePath];
  }

  /** VS Code's Electron runs the bridge as plain Node. */
  private stdioEnv(env: Readonly<Record<string, string>>): Record<string, string> {
    const network = this.deps.network();
    return {
      ELECTRON_RUN_AS_NODE: '1',
      NODE_COMPILE_CACHE: this.deps.compileCacheDir,
      ...(network.caFile ? { NODE_EXTRA_CA_CERTS: network.caFile } : {}),
      ...(network.proxyUrl ? { HTTPS_PROXY: network.proxyUrl } : {}),
      ...(network.strictSSL === false ? { NODE_TLS_REJECT_UNAUTHORIZED: '0' } : {}),
      ...workspaceDirs(),
      ...(this.deps.auditLog
        ? {
            ATLASSIAN_AUDIT_LOG: this.deps.auditLog.path,
            ATLASSIAN_AUDIT_LOG_MAX_BYTES: String(this.deps.auditLog.maxBytes),
          }
        : {}),
      ...env,
    };
  }

  /** A token that stays valid well past the start (refreshing now if needed); guidance when it cannot be had. */
  private async ensureToken(connectionId: string): Promise<void> {
    try {
      await this.deps.connections.credentials(connectionId).authorization();
    } catch (err) {
      if (err instanceof AtlassianError && err.kind === 'needsReconnect') {
        throw new Error(vscode.l10n.t('{0} Then start the server again.', err.message), { cause: err });
      }
      throw err;
    }
  }

  /** Fires only when what VS Code would be offered changed (labels, versions, URLs). */
  private fireIfChanged(): void {
    const signature = this.signature();
    if (signature === this.lastSignature) return;
    this.lastSignature = signature;
    this.changed.fire();
  }

  private signature(): string {
    // Connection states too: a reconnect does not change versions, but VS Code should look again.
    const states = this.deps.connections.list().map((c) => [c.id, c.state]);
    return JSON.stringify([this.plan().servers.map((s) => [s.kind, s.label, s.version]), states]);
  }
}

/** The local workspace folders: where the bridge may save attachment downloads and read uploads. */
function workspaceDirs(): Record<string, string> {
  const dirs = (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => f.uri.fsPath);
  return dirs.length ? { ATLASSIAN_ATTACHMENT_DIRS: dirs.join(delimiter) } : {};
}

// Connection health, editor-free: for each connection what it is (method, site, user, cloud id,
// scopes, token expiry and refresh) and whether Jira answers it (/myself, timed); the local MCP
// bridge; each remote MCP server as a probe sees it (reachability, TLS, redirects, MCP initialize,
// tools, latency). Every problem carries what happened and what to do.
import type { JiraApi } from '../atlassian/jira';
import type { ConnectionInfo } from '../auth/connections';
import type { ServerPlan } from '../mcp/serverPlan';
import type { ProbeReport } from '../remote/forwardingTypes';
import type { ConfluenceCheck } from './confluenceCheck';
import { explainError, type Explanation } from './explain';
import { bridgeHealth } from './bridgeHealth';
import { confluenceCheck, connectionHealth, overallState, withConfluence } from './connectionHealth';
import type { ApiResult, HealthSnapshot, ProbeResult, RemotePlan } from './healthTypes';
import { remoteHealth } from './remoteHealth';

export * from './healthTypes';
export { methodLabel } from './healthLabels';

export interface HealthDependencies {
  readonly connections: { list(): readonly ConnectionInfo[]; onDidChange(listener: () => void): { dispose(): void } };
  readonly jira: (connection: ConnectionInfo) => JiraApi;
  /** The Confluence check of a connection; undefined where it has no Confluence (Data Center). */
  readonly confluence?: (connection: ConnectionInfo) => ConfluenceCheck | undefined;
  /** The default connection's id. */
  readonly defaultConnectionId?: () => string | undefined;
  /** The MCP servers the extension publishes, and the settings it could not honour. */
  readonly plan: () => ServerPlan;
  /** How many tools VS Code lists for the local bridge (none until it has started). */
  readonly bridgeToolCount: () => number;
  /** Connects to a remote MCP server the way VS Code would (ForwardingProxy.probe). */
  readonly probe: (remote: RemotePlan) => Promise<ProbeReport>;
  /** Removes secrets from text that came from elsewhere (error messages); the log's redactor. */
  readonly redact?: (text: string) => string;
  readonly now?: () => number;
}

/** Failures that say something about the connection itself (not about one query). */
const CONNECTION_FAILURES = new Set([
  'needsReconnect',
  'unauthorized',
  'scope',
  'rateLimited',
  'network',
  'timeout',
  'server',
]);

export class HealthModel {
  private readonly api = new Map<string, ApiResult>();
  private readonly confluenceResults = new Map<string, ApiResult>();
  private readonly probes = new Map<string, ProbeResult>();
  private readonly listeners = new Set<() => void>();
  private readonly subscription: { dispose(): void };
  private readonly now: () => number;
  private inflight: { readonly remotes: boolean; readonly done: Promise<void> } | undefined;
  private checkedAt: number | undefined;
  private knownStates: string;

  constructor(private readonly deps: HealthDependencies) {
    this.now = deps.now ?? Date.now;
    this.knownStates = this.stateSignature();
    this.subscription = deps.connections.onDidChange(() => this.connectionsChanged());
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Runs the checks: Jira /myself through every connection and, with `remotes`, a probe of every
   * remote MCP server. Concurrent callers share one run.
   */
  async check(options: { readonly remotes?: boolean } = {}): Promise<HealthSnapshot> {
    const remotes = options.remotes ?? true;
    while (this.inflight) {
      const running = this.inflight;
      await running.done;
      if (running.remotes || !remotes) return this.snapshot();
    }
    const done = this.run(remotes).finally(() => {
      this.inflight = undefined;
      this.fire();
    });
    this.inflight = { remotes, done };
    this.fire();
    await done;
    return this.snapshot();
  }

  /** A Jira call made elsewhere (the issue list) succeeded or failed; rate limits show up here at once. */
  noteApiOutcome(connectionId: string, error: unknown): void {
    const previous = this.api.get(connectionId);
    if (error === undefined) {
      if (previous?.ok === false) {
        this.api.set(connectionId, { ok: true, at: this.now(), latencyMs: undefined, path: undefined });
        this.fire();
      }
      return;
    }
    const connection = this.deps.connections.list().find((c) => c.id === connectionId);
    if (!connection) return;
    const explanation = this.explain(error, connection);
    if (!CONNECTION_FAILURES.has(explanation.kind)) return;
    this.api.set(connectionId, { ok: false, at: this.now(), explanation });
    this.fire();
  }

  snapshot(): HealthSnapshot {
    const now = this.now();
    const checking = this.inflight !== undefined;
    const defaultId = this.deps.defaultConnectionId?.();
    const connections = this.deps.connections
      .list()
      .map((c) =>
        withConfluence(
          connectionHealth(c, this.api.get(c.id), checking, now),
          c,
          c.id === defaultId,
          this.deps.confluence ? confluenceCheck(c, this.confluenceResults.get(c.id), checking, now) : undefined,
        ),
      );
    const plan = this.deps.plan();
    return {
      overall: overallState(connections),
      connections,
      bridge: {
        ...bridgeHealth(plan, this.deps.bridgeToolCount()),
        serves: plan.servers.some((s) => s.kind === 'bridge')
          ? [...connections]
              .sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
              .map((c) => ({ siteName: c.siteName, isDefault: c.isDefault }))
          : [],
      },
      remotes: remoteHealth(plan, this.probes, checking && this.inflight?.remotes === true),
      checking,
      checkedAt: this.checkedAt,
    };
  }

  dispose(): void {
    this.subscription.dispose();
    this.listeners.clear();
  }

  private async run(remotes: boolean): Promise<void> {
    const connections = this.deps.connections.list();
    const work: Promise<void>[] = connections.map((c) => this.checkApi(c));
    if (remotes) {
      const planned = this.deps.plan().servers.filter((s): s is RemotePlan => s.kind === 'remote');
      for (const id of [...this.probes.keys()]) if (!planned.some((r) => r.id === id)) this.probes.delete(id);
      work.push(...planned.map((r) => this.probeRemote(r)));
    }
    await Promise.all(work);
    // "Checked" means everything, remote servers too: the Connection view checks again unless it was.
    if (remotes) this.checkedAt = this.now();
  }

  private async checkApi(connection: ConnectionInfo): Promise<void> {
    // Signing in again is the only way forward; a request would only fail the same way.
    if (connection.state === 'needsReconnect') return;
    const confluence = this.deps.confluence?.(connection);
    const confluenceDone = confluence ? this.checkConfluence(connection, confluence) : Promise.resolve();
    const api = this.deps.jira(connection);
    const path = `${api.api}/myself`;
    const started = performance.now();
    try {
      await api.myself();
      this.api.set(connection.id, {
        ok: true,
        at: this.now(),
        latencyMs: Math.round(performance.now() - started),
        path,
      });
    } catch (err) {
      // Read again: a failed refresh during the call may just have marked the connection.
      const latest = this.deps.connections.list().find((c) => c.id === connection.id) ?? connection;
      this.api.set(connection.id, { ok: false, at: this.now(), explanation: this.explain(err, latest) });
    }
    await confluenceDone;
  }

  private async checkConfluence(connection: ConnectionInfo, check: ConfluenceCheck): Promise<void> {
    const started = performance.now();
    try {
      await check.run();
      const latencyMs = Math.round(performance.now() - started);
      this.confluenceResults.set(connection.id, { ok: true, at: this.now(), latencyMs, path: check.path });
    } catch (err) {
      this.confluenceResults.set(connection.id, {
        ok: false,
        at: this.now(),
        explanation: this.explain(err, connection),
      });
    }
  }

  private async probeRemote(remote: RemotePlan): Promise<void> {
    try {
      this.probes.set(remote.id, { report: await this.deps.probe(remote) });
    } catch (err) {
      this.probes.set(remote.id, { failure: this.redact(err instanceof Error ? err.message : String(err)) });
    }
  }

  private explain(err: unknown, connection: ConnectionInfo): Explanation {
    const explanation = explainError(err, {
      site: connection.siteName,
      method: connection.method,
      reason: connection.stateReason,
    });
    return { ...explanation, what: this.redact(explanation.what) };
  }

  private redact(text: string): string {
    return this.deps.redact ? this.deps.redact(text) : text;
  }

  /** Sign-ins, sign-outs and reconnects are news; token refreshes are not. */
  private connectionsChanged(): void {
    const signature = this.stateSignature();
    if (signature === this.knownStates) return;
    this.knownStates = signature;
    for (const id of [...this.api.keys()]) {
      const c = this.deps.connections.list().find((x) => x.id === id);
      // A reconnect replaces the sign-in: what the old one met says nothing about the new one.
      if (!c || (c.state === 'connected' && this.api.get(id)?.ok === false)) this.api.delete(id);
    }
    for (const id of [...this.confluenceResults.keys()])
      if (!this.api.has(id) || !this.deps.connections.list().some((c) => c.id === id))
        this.confluenceResults.delete(id);
    this.fire();
    // A new sign-in (or a reconnect) is checked at once: no "not checked yet" left standing.
    if (this.deps.connections.list().some((c) => c.state === 'connected' && !this.api.has(c.id)))
      void this.check({ remotes: false });
  }

  private stateSignature(): string {
    return JSON.stringify(this.deps.connections.list().map((c) => [c.id, c.state, c.createdAt]));
  }

  private fire(): void {
    for (const listener of this.listeners) listener();
  }
}

// Connection health, editor-free: for each connection what it is (method, site, user, cloud id,
// scopes, token expiry and refresh) and whether Jira answers it (/myself, timed); the local MCP
// bridge; each remote MCP server as a probe sees it (reachability, TLS, redirects, MCP initialize,
// tools, latency). Every problem carries what happened and what to do.
import * as l10n from '@vscode/l10n';
import type { JiraApi } from '../atlassian/jira';
import type { AuthMethod, ConnectionInfo } from '../auth/connections';
import { relativeTime, utcMinute } from '../core/time';
import { BRIDGE_LABEL, type PlannedServer, type ServerPlan } from '../mcp/serverPlan';
import type { ProbeReport } from '../remote/forwardingProxy';
import type { ConfluenceCheck } from './confluenceCheck';
import { explainError, formatSeconds, reconnectTodo, signInUnusable, type Explanation } from './explain';

export type CheckStatus = 'ok' | 'info' | 'warning' | 'error' | 'pending';

export interface Problem {
  /** What happened, in plain words. */
  readonly what: string;
  /** What to do about it. */
  readonly todo: string;
}

export type HealthAction =
  | { readonly kind: 'reconnect' }
  | { readonly kind: 'retry'; /** Retrying earlier is refused (Retry-After). */ readonly notBefore?: number }
  | { readonly kind: 'openSettings'; readonly setting: string };

export interface HealthCheck {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly status: CheckStatus;
  readonly problem?: Problem;
}

export type ConnectionState =
  'unchecked' | 'checking' | 'connected' | 'needsReconnect' | 'rateLimited' | 'unreachable' | 'error';

export interface ConnectionHealth {
  readonly connectionId: string;
  readonly siteName: string;
  readonly siteUrl: string;
  readonly cloudId: string | undefined;
  readonly method: AuthMethod;
  readonly userName: string;
  /** The connection the bridge's tools use when they name no site. */
  readonly isDefault: boolean;
  readonly state: ConnectionState;
  /** One line for the view: "connected · 84 ms", "rate limited · retry in 30 s". */
  readonly summary: string;
  readonly checks: readonly HealthCheck[];
  readonly problem?: Problem;
  readonly action?: HealthAction;
}

export interface BridgeHealth {
  readonly label: string;
  /** The sites the bridge's tools reach, the default first. */
  readonly serves: readonly { readonly siteName: string; readonly isDefault: boolean }[];
  readonly state: 'running' | 'notStarted' | 'notPublished';
  readonly summary: string;
  readonly checks: readonly HealthCheck[];
}

export type RemoteState = 'unchecked' | 'checking' | 'ok' | 'redirect' | 'error' | 'misconfigured';

export interface RemoteHealth {
  readonly id: string;
  readonly label: string;
  readonly state: RemoteState;
  readonly summary: string;
  readonly checks: readonly HealthCheck[];
  readonly problem?: Problem;
  readonly action?: HealthAction;
}

/** What the status bar says. */
export type OverallState = 'signedOut' | 'connected' | 'needsReconnect' | 'rateLimited' | 'unreachable';

export interface HealthSnapshot {
  readonly overall: OverallState;
  readonly connections: readonly ConnectionHealth[];
  readonly bridge: BridgeHealth;
  readonly remotes: readonly RemoteHealth[];
  readonly checking: boolean;
  readonly checkedAt: number | undefined;
}

type RemotePlan = Extract<PlannedServer, { kind: 'remote' }>;

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

/** The outcome of the last Jira call through a connection. */
type ApiResult =
  | {
      readonly ok: true;
      readonly at: number;
      readonly latencyMs: number | undefined;
      readonly path: string | undefined;
    }
  | { readonly ok: false; readonly at: number; readonly explanation: Explanation };

type ProbeResult = { readonly report: ProbeReport } | { readonly failure: string };

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

/** The scopes this extension's features rely on, and what breaks without each. */
function neededScopes(): readonly [string, string][] {
  return [
    ['read:jira-work', l10n.t('issues cannot be listed or read')],
    ['write:jira-work', l10n.t('transitions, comments and assigning fail')],
    ['read:jira-user', l10n.t('the account cannot be checked')],
    [
      'offline_access',
      l10n.t('there is no refresh token, so the sign-in ends when the access token expires (about an hour)'),
    ],
  ];
}

/** "84 ms": a measured latency. */
function milliseconds(ms: number): string {
  return l10n.t({ message: '{0} ms', args: [ms], comment: ['A duration in milliseconds, abbreviated: "84 ms"'] });
}

/** "3 tools": how many tools an MCP server offers. */
function toolCountText(count: number): string {
  return l10n.t('{0} tools', count);
}

/** The label of the check of the Jira API through a connection. */
function jiraApiLabel(): string {
  return l10n.t({
    message: 'Jira API',
    comment: ['A row label in the Connection view: whether the Jira REST API answers this connection'],
  });
}

function signInLabel(): string {
  return l10n.t({
    message: 'Sign-in',
    comment: ['A row label in the Connection view: how VS Code or the connection signs in (OAuth, API token…)'],
  });
}

function connectedText(): string {
  return l10n.t({ message: 'connected', comment: ['The state of a connection to an Atlassian site'] });
}

function urlLabel(): string {
  return l10n.t({ message: 'URL', comment: ['A row label in the Connection view: the address of an MCP server'] });
}

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

// --- building the snapshot ----------------------------------------------------------------------

export function methodLabel(method: AuthMethod): string {
  return method === 'oauth'
    ? l10n.t('OAuth 2.0 (browser sign-in)')
    : method === 'apiToken'
      ? l10n.t('API token')
      : l10n.t('Personal access token');
}

type JiraHealth = Omit<ConnectionHealth, 'siteUrl' | 'cloudId' | 'method' | 'userName' | 'isDefault'>;

function connectionHealth(c: ConnectionInfo, api: ApiResult | undefined, checking: boolean, now: number): JiraHealth {
  const checks: HealthCheck[] = [
    { id: 'method', label: signInLabel(), value: methodLabel(c.method), status: 'info' },
    {
      id: 'site',
      label: l10n.t({
        message: 'Site',
        comment: ['A row label in the Connection view: the Atlassian site of a connection'],
      }),
      value: `${c.siteName} — ${c.siteUrl} (${c.flavour === 'cloud' ? 'Cloud' : 'Data Center'})`,
      status: 'info',
    },
    {
      id: 'user',
      label: l10n.t({
        message: 'User',
        comment: ['A row label in the Connection view: the Atlassian account a connection signed in as'],
      }),
      value: c.user.email ? `${c.user.displayName} <${c.user.email}>` : c.user.displayName,
      status: 'info',
    },
    cloudIdCheck(c),
    scopesCheck(c),
    expiryCheck(c, now),
    lastRefreshCheck(c, now),
  ];

  if (c.state === 'needsReconnect') {
    const problem = { what: signInUnusable(c.siteName, c.stateReason), todo: reconnectTodo() };
    checks.push({
      id: 'api',
      label: jiraApiLabel(),
      value: l10n.t('not checked: sign in again first'),
      status: 'error',
      problem,
    });
    return {
      connectionId: c.id,
      siteName: c.siteName,
      state: 'needsReconnect',
      summary: l10n.t('needs reconnect'),
      checks,
      problem,
      action: { kind: 'reconnect' },
    };
  }
  if (!api) {
    checks.push({
      id: 'api',
      label: jiraApiLabel(),
      value: checking ? l10n.t('checking…') : l10n.t('not checked yet'),
      status: 'pending',
    });
    return {
      connectionId: c.id,
      siteName: c.siteName,
      state: checking ? 'checking' : 'unchecked',
      summary: checking ? l10n.t('checking…') : connectedText(),
      checks,
    };
  }
  if (api.ok) {
    const when = relativeTime(api.at, now);
    let value: string;
    if (!api.path) value = l10n.t('reachable ({0})', when);
    else if (api.latencyMs === undefined) value = l10n.t('reachable (GET {0}, {1})', api.path, when);
    else
      value = l10n.t({
        message: 'reachable · {0} ms (GET {1}, {2})',
        args: [api.latencyMs, api.path, when],
        comment: ['{0}: milliseconds; {1}: a Jira REST path; {2}: when, e.g. "2 min ago"'],
      });
    checks.push({ id: 'api', label: jiraApiLabel(), value, status: 'ok' });
    const connected = connectedText();
    return {
      connectionId: c.id,
      siteName: c.siteName,
      state: 'connected',
      summary: api.latencyMs !== undefined ? `${connected} · ${milliseconds(api.latencyMs)}` : connected,
      checks,
    };
  }

  const { explanation } = api;
  const problem = { what: explanation.what, todo: explanation.todo };
  switch (explanation.kind) {
    case 'needsReconnect':
    case 'unauthorized':
      checks.push({
        id: 'api',
        label: jiraApiLabel(),
        value: l10n.t('rejected the sign-in'),
        status: 'error',
        problem,
      });
      return {
        connectionId: c.id,
        siteName: c.siteName,
        state: 'needsReconnect',
        summary: l10n.t('needs reconnect'),
        checks,
        problem,
        action: { kind: 'reconnect' },
      };
    case 'rateLimited': {
      const notBefore =
        explanation.retryAfterSeconds !== undefined ? api.at + explanation.retryAfterSeconds * 1000 : undefined;
      const limited =
        notBefore !== undefined && notBefore > now
          ? l10n.t('rate limited · retry in {0}', formatSeconds((notBefore - now) / 1000))
          : l10n.t('rate limited');
      checks.push({ id: 'api', label: jiraApiLabel(), value: limited, status: 'warning', problem });
      return {
        connectionId: c.id,
        siteName: c.siteName,
        state: 'rateLimited',
        summary: limited,
        checks,
        problem,
        action: { kind: 'retry', notBefore },
      };
    }
    case 'network':
    case 'timeout':
      checks.push({ id: 'api', label: jiraApiLabel(), value: l10n.t('unreachable'), status: 'error', problem });
      return {
        connectionId: c.id,
        siteName: c.siteName,
        state: 'unreachable',
        summary: l10n.t('unreachable'),
        checks,
        problem,
        action: { kind: 'retry' },
      };
    default: {
      const action: HealthAction = explanation.remedy === 'reconnect' ? { kind: 'reconnect' } : { kind: 'retry' };
      checks.push({ id: 'api', label: jiraApiLabel(), value: l10n.t('failing'), status: 'error', problem });
      return {
        connectionId: c.id,
        siteName: c.siteName,
        state: 'error',
        summary: l10n.t('failing'),
        checks,
        problem,
        action,
      };
    }
  }
}

function cloudIdCheck(c: ConnectionInfo): HealthCheck {
  const label = l10n.t({
    message: 'Cloud ID',
    comment: ['A row label in the Connection view: the id Atlassian gives a Cloud site'],
  });
  if (c.cloudId) return { id: 'cloudId', label, value: c.cloudId, status: 'info' };
  if (c.flavour === 'datacenter') return { id: 'cloudId', label, value: l10n.t('none (Data Center)'), status: 'info' };
  return {
    id: 'cloudId',
    label,
    value: l10n.t('unknown'),
    status: 'warning',
    problem: {
      what: l10n.t('The cloud id of {0} is unknown, so remote MCP servers cannot use this connection.', c.siteName),
      todo: l10n.t('Reconnect to look it up again.'),
    },
  };
}

function scopesCheck(c: ConnectionInfo): HealthCheck {
  const label = l10n.t({
    message: 'Scopes',
    comment: ['A row label in the Connection view: the OAuth scopes (permissions) the sign-in was granted'],
  });
  if (c.method !== 'oauth') {
    const value =
      c.method === 'apiToken'
        ? l10n.t("not applicable (an API token acts with all of your account's permissions)")
        : l10n.t("not applicable (a personal access token acts with all of your account's permissions)");
    return { id: 'scopes', label, value, status: 'info' };
  }
  const granted = new Set(c.scopes);
  const missing = neededScopes().filter(([scope]) => !granted.has(scope));
  const value = c.scopes.length > 0 ? c.scopes.join(' ') : l10n.t('none reported');
  if (missing.length === 0) return { id: 'scopes', label, value, status: 'ok' };
  return {
    id: 'scopes',
    label,
    value,
    status: 'warning',
    problem: {
      what: l10n.t('The sign-in lacks {0}.', missing.map(([scope, effect]) => `${scope} (${effect})`).join('; ')),
      todo: l10n.t(
        'Enable the scopes in your OAuth app (developer console) and in the "atlassianMcpBridge.oauth.scopes" setting, then reconnect.',
      ),
    },
  };
}

function expiryCheck(c: ConnectionInfo, now: number): HealthCheck {
  const label = l10n.t('Token expiry');
  if (c.method !== 'oauth' || c.expiresAt === undefined) {
    const where =
      c.method === 'apiToken'
        ? l10n.t('see id.atlassian.com → Security → API tokens')
        : l10n.t('see your Jira profile');
    return {
      id: 'expiry',
      label,
      value: c.method === 'oauth' ? l10n.t('unknown') : l10n.t('not reported by Atlassian ({0})', where),
      status: 'info',
    };
  }
  const when = `${relativeTime(c.expiresAt, now)} (${utcMinute(c.expiresAt)})`;
  if (c.expiresAt > now) return { id: 'expiry', label, value: l10n.t('access token expires {0}', when), status: 'ok' };
  return { id: 'expiry', label, value: l10n.t('access token expired {0}; renewed on next use', when), status: 'info' };
}

function lastRefreshCheck(c: ConnectionInfo, now: number): HealthCheck {
  const label = l10n.t({
    message: 'Last refresh',
    comment: ['A row label in the Connection view: when the OAuth access token was last refreshed'],
  });
  if (c.method !== 'oauth')
    return { id: 'lastRefresh', label, value: l10n.t('not applicable (no OAuth tokens to refresh)'), status: 'info' };
  const value =
    c.lastRefreshAt !== undefined
      ? `${relativeTime(c.lastRefreshAt, now)} (${utcMinute(c.lastRefreshAt)})`
      : l10n.t('not yet (still the token from sign-in)');
  return { id: 'lastRefresh', label, value, status: 'info' };
}

/** The Confluence row of a connection; undefined where the connection has no Confluence. */
function confluenceCheck(
  c: ConnectionInfo,
  result: ApiResult | undefined,
  checking: boolean,
  now: number,
): HealthCheck | undefined {
  if (c.flavour !== 'cloud' || c.state === 'needsReconnect') return undefined;
  const label = l10n.t({
    message: 'Confluence API',
    comment: ['A row label in the Connection view: whether the Confluence REST API answers this connection'],
  });
  if (!result)
    return {
      id: 'confluence',
      label,
      value: checking ? l10n.t('checking…') : l10n.t('not checked yet'),
      status: 'pending',
    };
  if (result.ok)
    return {
      id: 'confluence',
      label,
      value: l10n.t({
        message: 'reachable · {0} ms (GET {1}, {2})',
        args: [result.latencyMs ?? 0, result.path ?? '', relativeTime(result.at, now)],
        comment: ['{0}: milliseconds; {1}: a Jira REST path; {2}: when, e.g. "2 min ago"'],
      }),
      status: 'ok',
    };
  const { explanation } = result;
  const value =
    explanation.kind === 'scope' || explanation.kind === 'forbidden' || explanation.kind === 'unauthorized'
      ? l10n.t('no access')
      : explanation.kind === 'notFound'
        ? l10n.t('no Confluence on this site')
        : explanation.kind === 'network' || explanation.kind === 'timeout'
          ? l10n.t('unreachable')
          : l10n.t('failing');
  return {
    id: 'confluence',
    label,
    value,
    status: explanation.kind === 'notFound' ? 'info' : 'warning',
    problem: { what: explanation.what, todo: explanation.todo },
  };
}

/** Adds who and what the connection is, and its Confluence row, to the Jira health. */
function withConfluence(
  jira: JiraHealth,
  c: ConnectionInfo,
  isDefault: boolean,
  confluence: HealthCheck | undefined,
): ConnectionHealth {
  const identity = {
    siteUrl: c.siteUrl,
    cloudId: c.cloudId,
    method: c.method,
    userName: c.user.displayName,
    isDefault,
  };
  if (!confluence) return { ...jira, ...identity };
  const jiraCheck = jira.checks.find((check) => check.id === 'api');
  const checks = [...jira.checks, confluence];
  if (jira.state !== 'connected') return { ...jira, ...identity, checks };
  const jiraPart = /· (\d+ ms)/.exec(jira.summary)?.[1];
  const confluencePart =
    confluence.status === 'ok'
      ? `Confluence ${/· (\d+ ms)/.exec(confluence.value)?.[1] ?? ''}`.trim()
      : `Confluence: ${confluence.value}`;
  const summary = [connectedText(), jiraPart ? `Jira ${jiraPart}` : 'Jira', confluencePart].join(' · ');
  return {
    ...jira,
    ...identity,
    checks,
    summary: jiraCheck?.status === 'ok' ? summary : jira.summary,
    problem: jira.problem ?? confluence.problem,
  };
}

function overallState(connections: readonly ConnectionHealth[]): OverallState {
  if (connections.length === 0) return 'signedOut';
  const states = new Set(connections.map((c) => c.state));
  if (states.has('needsReconnect')) return 'needsReconnect';
  if (states.has('rateLimited')) return 'rateLimited';
  if (states.has('unreachable')) return 'unreachable';
  return 'connected';
}

function bridgeHealth(plan: ServerPlan, toolCount: number): Omit<BridgeHealth, 'serves'> {
  const bridge = plan.servers.find((s) => s.kind === 'bridge');
  const publishedLabel = l10n.t({
    message: 'Published',
    comment: ['A row label in the Connection view: whether the extension offers this MCP server to VS Code'],
  });
  if (!bridge) {
    return {
      label: BRIDGE_LABEL,
      state: 'notPublished',
      summary: l10n.t('not published'),
      checks: [
        {
          id: 'published',
          label: publishedLabel,
          value: l10n.t('no: connect an Atlassian site first'),
          status: 'info',
        },
      ],
    };
  }
  const env = bridge.env;
  const settings = [
    env.READ_ONLY_MODE === 'true' ? l10n.t('read-only') : l10n.t('read and write'),
    env.TOOLSETS ? l10n.t('toolsets {0}', env.TOOLSETS) : l10n.t('default toolsets'),
    ...(env.ENABLED_TOOLS
      ? [
          l10n.t({
            message: 'only {0}',
            args: [env.ENABLED_TOOLS],
            comment: ['{0}: the only MCP tools enabled, e.g. "jira_get_issue,jira_search"'],
          }),
        ]
      : []),
    ...(env.JIRA_PROJECTS_FILTER
      ? [
          l10n.t({
            message: 'projects {0}',
            args: [env.JIRA_PROJECTS_FILTER],
            comment: ['{0}: the Jira project keys the bridge is limited to'],
          }),
        ]
      : []),
    ...(env.CONFLUENCE_SPACES_FILTER
      ? [
          l10n.t({
            message: 'spaces {0}',
            args: [env.CONFLUENCE_SPACES_FILTER],
            comment: ['{0}: the Confluence space keys the bridge is limited to'],
          }),
        ]
      : []),
  ].join(' · ');
  const running = toolCount > 0;
  const runningText = l10n.t('running · {0} tools', toolCount);
  const statusLabel = l10n.t({
    message: 'Status',
    comment: ['A row label in the Connection view: whether the local MCP server is running'],
  });
  return {
    label: bridge.label,
    state: running ? 'running' : 'notStarted',
    summary: running ? runningText : l10n.t('not started'),
    checks: [
      {
        id: 'published',
        label: publishedLabel,
        value: l10n.t('to VS Code as a local MCP server (stdio)'),
        status: 'ok',
      },
      running
        ? { id: 'status', label: statusLabel, value: runningText, status: 'ok' }
        : {
            id: 'status',
            label: statusLabel,
            value: l10n.t(
              'not started: VS Code starts it when a chat uses its tools (or MCP: List Servers → Start Server)',
            ),
            status: 'info',
          },
      {
        id: 'settings',
        label: l10n.t({
          message: 'Settings',
          comment: ['A row label in the Connection view: the settings the local MCP server runs with'],
        }),
        value: settings,
        status: 'info',
      },
    ],
  };
}

function remoteHealth(plan: ServerPlan, probes: ReadonlyMap<string, ProbeResult>, probing: boolean): RemoteHealth[] {
  const out: RemoteHealth[] = [];
  const settingsAction: HealthAction = { kind: 'openSettings', setting: 'atlassianMcpBridge.remoteServers' };
  for (const server of plan.servers) {
    if (server.kind === 'rovo') {
      out.push({
        id: 'rovo',
        label: server.label,
        state: 'ok',
        summary: l10n.t('hosted by Atlassian'),
        checks: [
          { id: 'url', label: urlLabel(), value: server.url, status: 'info' },
          {
            id: 'auth',
            label: signInLabel(),
            value: l10n.t('VS Code signs in to it itself (its own OAuth); not probed here'),
            status: 'info',
          },
        ],
      });
    }
    if (server.kind !== 'remote') continue;
    const result = probes.get(server.id);
    if (!result) {
      out.push({
        id: server.id,
        label: server.label,
        state: probing ? 'checking' : 'unchecked',
        summary: probing ? l10n.t('checking…') : l10n.t('not checked yet'),
        checks: [{ id: 'url', label: urlLabel(), value: server.url, status: 'info' }],
      });
      continue;
    }
    if ('failure' in result) {
      const problem = {
        what: result.failure,
        todo: l10n.t('Check the server entry in the "atlassianMcpBridge.remoteServers" setting, then check again.'),
      };
      out.push({
        id: server.id,
        label: server.label,
        state: 'error',
        summary: l10n.t('cannot check'),
        checks: [{ id: 'url', label: urlLabel(), value: server.url, status: 'error', problem }],
        problem,
        action: settingsAction,
      });
      continue;
    }
    out.push(fromProbe(server, result.report, settingsAction));
  }
  for (const [index, text] of plan.problems.entries()) {
    const label = /"([^"]+)"/.exec(text)?.[1] ?? l10n.t('MCP server settings');
    const problem = {
      what: text,
      todo: l10n.t(
        'Fix the entry in the "atlassianMcpBridge.remoteServers" setting (or connect the connection it names).',
      ),
    };
    out.push({
      id: `problem:${index}`,
      label,
      state: 'misconfigured',
      summary: l10n.t('misconfigured: not published'),
      checks: [
        {
          id: 'setting',
          label: l10n.t({
            message: 'Setting',
            comment: ['A row label in the Connection view: the settings entry of a remote MCP server'],
          }),
          value: l10n.t('cannot be used as written'),
          status: 'error',
          problem,
        },
      ],
      problem,
      action: settingsAction,
    });
  }
  return out;
}

function fromProbe(server: RemotePlan, report: ProbeReport, settingsAction: HealthAction): RemoteHealth {
  const checks: HealthCheck[] = [
    { id: 'url', label: urlLabel(), value: report.url, status: 'info' },
    report.secure
      ? { id: 'tls', label: 'TLS', value: 'https', status: 'ok' }
      : {
          id: 'tls',
          label: 'TLS',
          value: l10n.t('plain http (accepted for servers on this machine only)'),
          status: 'info',
        },
    {
      id: 'reachable',
      label: l10n.t({
        message: 'Reachable',
        comment: ['A row label in the Connection view: whether the MCP server answered at all'],
      }),
      value: report.reachable ? l10n.t('yes') : l10n.t('no'),
      status: report.reachable ? 'ok' : 'error',
    },
  ];
  let problem: Problem | undefined;
  for (const [i, r] of report.redirects.entries()) {
    const redirectProblem = {
      what: r.message,
      todo: l10n.t(
        'Change the "url" of "{0}" in the "atlassianMcpBridge.remoteServers" setting as described.',
        server.label,
      ),
    };
    const to = absolute(r.to, r.from);
    checks.push({
      id: `redirect:${i}`,
      label: l10n.t({
        message: 'Redirect',
        comment: ['A row label in the Connection view: an HTTP redirect the MCP server answered with'],
      }),
      value: r.followed
        ? l10n.t({
            message: '{0} {1} → {2} (followed)',
            args: [r.status, r.from, to],
            comment: ['{0}: an HTTP status; {1} and {2}: URLs. The proxy followed the redirect.'],
          })
        : l10n.t({
            message: '{0} {1} → {2} (refused)',
            args: [r.status, r.from, to],
            comment: ['{0}: an HTTP status; {1} and {2}: URLs. The proxy did not follow the redirect.'],
          }),
      status: r.followed ? 'warning' : 'error',
      problem: redirectProblem,
    });
    if (!r.followed) problem ??= redirectProblem;
  }
  const latency = (ms: number | undefined) => (ms !== undefined ? [milliseconds(ms)] : []);
  const initializeLabel = l10n.t({
    message: 'MCP initialize',
    comment: ['A row label in the Connection view: the MCP "initialize" handshake with the server'],
  });
  if (report.server) {
    const protocol = report.protocolVersion
      ? [
          l10n.t({
            message: 'protocol {0}',
            args: [report.protocolVersion],
            comment: ['{0}: an MCP protocol version, e.g. 2025-06-18'],
          }),
        ]
      : [];
    checks.push({
      id: 'initialize',
      label: initializeLabel,
      value: [
        `${report.server.name} ${report.server.version}`,
        ...protocol,
        ...latency(report.latencyMs.initialize),
      ].join(' · '),
      status: 'ok',
    });
  } else {
    checks.push({ id: 'initialize', label: initializeLabel, value: l10n.t('failed'), status: 'error' });
  }
  if (report.toolCount !== undefined) {
    checks.push({
      id: 'tools',
      label: l10n.t({
        message: 'Tools',
        comment: ['A row label in the Connection view: the MCP tools a server offers'],
      }),
      value: [toolCountText(report.toolCount), ...latency(report.latencyMs.listTools)].join(' · '),
      status: 'ok',
    });
  }

  const modernOnly = modernOnlyProblem(report);
  if (modernOnly) {
    checks.push({
      id: 'era',
      label: l10n.t({
        message: 'MCP version',
        comment: ['A row label in the Connection view: which MCP protocol era the server speaks'],
      }),
      value: l10n.t({
        message: '{0} only',
        args: [(report.supportedVersions ?? [report.protocolVersion ?? '2026-07-28']).join(', ')],
        comment: ['{0}: MCP protocol versions, e.g. 2026-07-28'],
      }),
      status: 'error',
      problem: modernOnly,
    });
    return {
      id: server.id,
      label: server.label,
      state: 'error',
      summary: l10n.t({
        message: 'MCP {0} only',
        args: [report.protocolVersion ?? '2026-07-28'],
        comment: ['{0}: an MCP protocol version, e.g. 2026-07-28'],
      }),
      checks,
      problem: modernOnly,
      action: { kind: 'retry' },
    };
  }

  if (report.error !== undefined) {
    const error = readableProbeError(report.error);
    problem ??= { what: error, todo: remoteTodo(report) };
    checks.push({
      id: 'error',
      label: l10n.t({
        message: 'Error',
        comment: ['A row label in the Connection view: what went wrong talking to the MCP server'],
      }),
      value: error,
      status: 'error',
      problem,
    });
    const action: HealthAction = needsSignIn(report.error)
      ? { kind: 'reconnect' }
      : report.redirects.length > 0
        ? settingsAction
        : { kind: 'retry' };
    return {
      id: server.id,
      label: server.label,
      state: 'error',
      summary: problemSummary(report),
      checks,
      problem,
      action,
    };
  }
  const tools = report.toolCount !== undefined ? [toolCountText(report.toolCount)] : [];
  if (report.redirects.length > 0) {
    const first = report.redirects[0]!;
    return {
      id: server.id,
      label: server.label,
      state: 'redirect',
      summary: [l10n.t('works, but redirects'), ...tools].join(' · '),
      checks,
      problem: {
        what: first.message,
        todo: l10n.t(
          'Change the "url" of "{0}" in the "atlassianMcpBridge.remoteServers" setting to {1}.',
          server.label,
          first.to,
        ),
      },
      action: settingsAction,
    };
  }
  return {
    id: server.id,
    label: server.label,
    state: 'ok',
    summary: [
      l10n.t({ message: 'ok', comment: ['The state of a remote MCP server that answers as it should'] }),
      ...tools,
      ...latency(report.latencyMs.initialize),
    ].join(' · '),
    checks,
  };
}

/** A server that answers only the 2026-07-28 revision, which this VS Code cannot speak yet. */
function modernOnlyProblem(report: ProbeReport): Problem | undefined {
  if (report.era !== 'modern' || report.legacyHandshake !== false) return undefined;
  const what = l10n.t(
    'This server speaks only MCP 2026-07-28 (no initialize handshake). The running VS Code still speaks the 2025 handshake, so it cannot use this server yet.',
  );
  return {
    what: report.legacyError
      ? l10n.t({
          message: '{0} The 2025 handshake failed: {1}',
          args: [what, report.legacyError],
          comment: ['{0}: the sentence above; {1}: the error the server gave'],
        })
      : what,
    todo: l10n.t(
      "Use a VS Code version that speaks MCP 2026-07-28, or ask the server to keep serving 2025 clients too (for example the SDK's legacy stateless mode).",
    ),
  };
}

/**
 * Whether the forwarding endpoint said the connection must sign in again: its `data.reason`
 * (language-independent) or, from an older or other endpoint, the English wording.
 */
function needsSignIn(error: string): boolean {
  return /"reason":"(needsReconnect|unauthorized)"/.test(error) || /Connect Atlassian|sign(ed)? in again/i.test(error);
}

/**
 * The MCP client wraps what the server (or the forwarding endpoint) said in its JSON-RPC answer:
 * `Streamable HTTP error: Error POSTing to endpoint: {"jsonrpc":…,"error":{…,"message":"…"}}`.
 * The message alone is what a person needs.
 */
function readableProbeError(error: string): string {
  const quoted = /"message":"((?:[^"\\]|\\.)*)"/.exec(error)?.[1];
  if (quoted === undefined) return error;
  try {
    return JSON.parse(`"${quoted}"`) as string;
  } catch {
    return error;
  }
}

/** A Location as the absolute URL it points to (servers often send a bare path). */
function absolute(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

function problemSummary(report: ProbeReport): string {
  if (report.redirects.some((r) => !r.followed)) return l10n.t('redirect refused');
  if (!report.reachable) return l10n.t('unreachable');
  return l10n.t('failing');
}

function remoteTodo(report: ProbeReport): string {
  const error = report.error ?? '';
  if (report.redirects.some((r) => !r.followed))
    return l10n.t(
      'Change the server\'s URL in the "atlassianMcpBridge.remoteServers" setting as described, then check again.',
    );
  if (needsSignIn(error)) return l10n.t('Reconnect the connection this server uses, then check again.');
  if (/TLS|certificate|CERT/i.test(error))
    return l10n.t(
      "The server's certificate is not trusted: fix the certificate, or use the server's correct https host name.",
    );
  if (!report.reachable)
    return l10n.t(
      'Check the URL and that the server is running and reachable from this machine (proxy, VPN, firewall), then check again.',
    );
  if (/40[13]/.test(error))
    return l10n.t(
      'The server refused your Atlassian credentials: check that it accepts Atlassian OAuth tokens and the connection it should use.',
    );
  return l10n.t("Check that the URL points at the server's MCP endpoint (streamable HTTP), then check again.");
}

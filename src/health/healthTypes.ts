// What the health model reports (health.ts builds it): connections, the local bridge, remote MCP
// servers, each check with its problem and what to do.
import type { AuthMethod } from '../auth/connections';
import type { PlannedServer } from '../mcp/serverPlan';
import type { ProbeReport } from '../remote/forwardingTypes';
import type { Explanation } from './explain';

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

export type RemotePlan = Extract<PlannedServer, { kind: 'remote' }>;

/** The outcome of the last Jira call through a connection. */
export type ApiResult =
  | {
      readonly ok: true;
      readonly at: number;
      readonly latencyMs: number | undefined;
      readonly path: string | undefined;
    }
  | { readonly ok: false; readonly at: number; readonly explanation: Explanation };

export type ProbeResult = { readonly report: ProbeReport } | { readonly failure: string };

// Probes a planned remote MCP server through the forwarding endpoint, making sure the endpoint has
// its route first (VS Code may not have asked for the definitions since the settings changed).
import type { PlannedServer, ServerPlan } from '../mcp/serverPlan';
import type { ProbeReport, RemoteServerConfig, RouteResult } from '../remote/forwardingTypes';

type RemotePlan = Extract<PlannedServer, { kind: 'remote' }>;

export interface RemoteEndpoint {
  configure(remotes: readonly RemoteServerConfig[]): Promise<readonly RouteResult[]>;
  probe(remoteId: string): Promise<ProbeReport>;
}

function remoteConfigs(plan: ServerPlan): RemoteServerConfig[] {
  return plan.servers
    .filter((s): s is RemotePlan => s.kind === 'remote')
    .map((r) => ({ id: r.id, label: r.label, url: r.url, connectionId: r.connectionId, headers: r.headers }));
}

export function remoteProber(
  endpoint: RemoteEndpoint,
  plan: () => ServerPlan,
): (remote: RemotePlan) => Promise<ProbeReport> {
  return async (remote) => {
    // The same set the MCP provider configures, so neither drops the other's routes.
    const routes = await endpoint.configure(remoteConfigs(plan()));
    const route = routes.find((r) => r.id === remote.id);
    if (route && 'error' in route) throw new Error(route.error);
    return endpoint.probe(remote.id);
  };
}

import assert from 'node:assert/strict';
import type { ConnectionInfo } from '../../../src/auth/connections';
import { BRIDGE_LABEL, planServers, ROVO_LABEL, type PlanInput } from '../../../src/mcp/serverPlan';

function connection(id: string, siteName: string): ConnectionInfo {
  return {
    id,
    method: 'oauth',
    flavour: 'cloud',
    siteName,
    siteUrl: `https://${siteName.toLowerCase()}.atlassian.net`,
    cloudId: `cloud-${id}`,
    jiraBaseUrl: 'https://api.atlassian.com/ex/jira/x',
    confluenceBaseUrl: 'https://api.atlassian.com/ex/confluence/x/wiki',
    user: { accountId: 'a', displayName: 'Ada', email: undefined },
    scopes: [],
    secretKey: `k-${id}`,
    oauth: undefined,
    state: 'connected',
    stateReason: undefined,
    expiresAt: undefined,
    lastRefreshAt: undefined,
    createdAt: 0,
  };
}

const base: PlanInput = {
  extensionVersion: '1.2.3',
  connections: [],
  defaultConnectionId: undefined,
  bridge: { toolsets: [], enabledTools: [], readOnly: false, projectsFilter: '', spacesFilter: '' },
  remotes: [],
  rovo: { enabled: false, url: 'https://mcp.atlassian.com/v2/mcp' },
};

describe('planServers', () => {
  it('publishes nothing while signed out (but Rovo when opted in: it signs in by itself)', () => {
    assert.deepEqual(planServers(base).servers, []);
    const rovo = planServers({ ...base, rovo: { ...base.rovo, enabled: true } }).servers;
    assert.deepEqual(
      rovo.map((s) => s.label),
      [ROVO_LABEL],
    );
  });

  it('publishes the bridge as soon as a connection exists, with a version that follows connections and toolset', () => {
    const one = planServers({ ...base, connections: [connection('a', 'Acme')] }).servers[0]!;
    assert.equal(one.label, BRIDGE_LABEL);
    assert.match(one.version, /^1\.2\.3\+[0-9a-f]{12}$/);
    const again = planServers({ ...base, connections: [connection('a', 'Acme')] }).servers[0]!;
    assert.equal(again.version, one.version, 'stable when nothing changed');
    const two = planServers({ ...base, connections: [connection('a', 'Acme'), connection('b', 'Globex')] }).servers[0]!;
    assert.notEqual(two.version, one.version);
    const readOnly = planServers({
      ...base,
      connections: [connection('a', 'Acme')],
      bridge: { ...base.bridge, readOnly: true, toolsets: ['jira_agile'] },
    }).servers[0]!;
    assert.notEqual(readOnly.version, one.version);
    assert.equal(readOnly.kind === 'bridge' && readOnly.env.READ_ONLY_MODE, 'true');
    assert.equal(readOnly.kind === 'bridge' && readOnly.env.TOOLSETS, 'jira_agile');
    assert.equal(
      planServers({
        ...base,
        connections: [connection('a', 'Acme')],
        extensionVersion: '1.2.4',
      }).servers[0]!.version.startsWith('1.2.4+'),
      true,
    );
  });

  it('binds each remote server to a connection by id or site name, else the default', () => {
    const plan = planServers({
      ...base,
      connections: [connection('a', 'Acme'), connection('b', 'Globex')],
      defaultConnectionId: 'b',
      remotes: [
        { label: 'Self-hosted', url: 'https://mcp.example.com/mcp/', connection: 'acme' },
        { label: 'Default one', url: 'http://127.0.0.1:9000/mcp/' },
      ],
    });
    const remotes = plan.servers.filter((s) => s.kind === 'remote');
    assert.deepEqual(
      remotes.map((s) => s.kind === 'remote' && [s.label, s.connectionId]),
      [
        ['Self-hosted', 'a'],
        ['Default one', 'b'],
      ],
    );
    assert.deepEqual(plan.problems, []);
  });

  it('never publishes a remote Cloud server without a cloud id to send', () => {
    const noCloudId = { ...connection('a', 'Acme'), cloudId: undefined };
    const plan = planServers({
      ...base,
      connections: [noCloudId],
      remotes: [{ label: 'R', url: 'https://mcp.example.com/mcp/' }],
    });
    assert.deepEqual(
      plan.servers.map((s) => s.kind),
      ['bridge'],
    );
    assert.match(plan.problems[0]!, /no cloud id/);
  });

  it('refuses plain http to another machine, duplicate labels and unknown connections, saying why', () => {
    const plan = planServers({
      ...base,
      connections: [connection('a', 'Acme')],
      remotes: [
        { label: 'Insecure', url: 'http://mcp.example.com/mcp/' },
        { label: BRIDGE_LABEL, url: 'https://x.example.com/' },
        { label: 'Nobody', url: 'https://x.example.com/', connection: 'globex' },
      ],
    });
    assert.deepEqual(
      plan.servers.map((s) => s.kind),
      ['bridge'],
    );
    assert.equal(plan.problems.length, 3);
    assert.match(plan.problems[0]!, /must use https/);
    assert.match(plan.problems[1]!, /label of its own/);
    assert.match(plan.problems[2]!, /"globex" is not connected/);
  });
});

import assert from 'node:assert/strict';
import { jiraClientFactory } from '../../../src/atlassian/jiraClient';
import { confluenceCheckFactory } from '../../../src/health/confluenceCheck';
import { HealthModel, type ConnectionHealth } from '../../../src/health/health';
import { planServers } from '../../../src/mcp/serverPlan';
import { OAUTH_SCOPES, sandboxConnections, type SandboxConnections } from '../../support/sandboxConnections';

describe('Jira and Confluence are checked right after sign-in (against the sandbox)', function () {
  this.timeout(30_000);
  let world: SandboxConnections;
  let health: HealthModel;
  const row = (c: ConnectionHealth, id: string) => c.checks.find((check) => check.id === id);

  beforeEach(async () => {
    world = await sandboxConnections();
    const credentials = (id: string) => world.manager.credentials(id);
    health = new HealthModel({
      connections: world.manager,
      jira: jiraClientFactory(credentials, { sleep: async () => undefined }),
      confluence: confluenceCheckFactory(credentials, { sleep: async () => undefined }),
      defaultConnectionId: () => world.manager.defaultConnection()?.id,
      plan: () =>
        planServers({
          extensionVersion: '0.0.0-test',
          connections: world.manager.list(),
          defaultConnectionId: world.manager.defaultConnection()?.id,
          bridge: { toolsets: [], enabledTools: [], readOnly: true, projectsFilter: '', spacesFilter: '' },
          remotes: [],
          rovo: { enabled: false, url: '' },
        }),
      bridgeToolCount: () => 0,
      probe: async () => {
        throw new Error('no remote servers here');
      },
    });
  });

  afterEach(async () => {
    health.dispose();
    await world.close();
  });

  it('a new sign-in starts the check by itself; both APIs answer, timed, in one summary line', async () => {
    const info = await world.apiToken();
    // No one asked for a check: the sign-in itself started it.
    assert.equal(health.snapshot().connections[0]!.state, 'checking');
    const c = (await health.check({ remotes: false })).connections[0]!;
    assert.equal(c.state, 'connected');
    assert.match(c.summary, /^connected · Jira \d+ ms · Confluence \d+ ms$/);
    assert.match(row(c, 'api')!.value, /^reachable · \d+ ms \(GET \/rest\/api\/3\/myself/);
    assert.match(row(c, 'confluence')!.value, /^reachable · \d+ ms \(GET \/sites\/acme\/wiki\/api\/v2\/spaces/);
    assert.equal(world.sandbox.log.count({ path: '/sites/acme/wiki/api/v2/spaces' }), 1);
    assert.equal(c.isDefault, true);
    assert.equal(c.method, 'apiToken');
    assert.equal(c.cloudId, info.cloudId);
  });

  it('an OAuth sign-in without Confluence scopes: Jira connected, Confluence "no access" with what to do', async () => {
    await world.oauth(OAUTH_SCOPES);
    const c = (await health.check({ remotes: false })).connections[0]!;
    assert.equal(c.state, 'connected');
    assert.match(c.summary, /^connected · Jira \d+ ms · Confluence: no access$/);
    const confluence = row(c, 'confluence')!;
    assert.equal(confluence.status, 'warning');
    assert.match(confluence.problem!.what, /scope/i);
    assert.ok(c.problem, 'the Confluence problem is the connection problem');
  });

  it('Data Center connections have no Confluence row; the bridge names the sites it serves, the default first', async () => {
    await world.apiToken();
    const dc = await world.dataCenter();
    await world.manager.setDefault(dc.id);
    const snapshot = await health.check({ remotes: false });
    const dcHealth = snapshot.connections.find((c) => c.connectionId === dc.id)!;
    assert.equal(row(dcHealth, 'confluence'), undefined);
    assert.equal(dcHealth.isDefault, true);
    assert.deepEqual(
      snapshot.bridge.serves.map((s) => [s.siteName, s.isDefault]),
      [
        [dc.siteName, true],
        [snapshot.connections.find((c) => c.connectionId !== dc.id)!.siteName, false],
      ],
    );
  });
});

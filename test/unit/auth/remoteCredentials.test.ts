import assert from 'node:assert/strict';
import { createRemoteCredentials } from '../../../src/auth/credentialBroker';
import type { ConnectionInfo } from '../../../src/auth/connections';
import type { RemoteServerConfig } from '../../../src/remote/forwardingProxy';
import { sandboxConnections, type SandboxConnections } from '../../support/sandboxConnections';

describe('credentials sent to remote MCP servers, per sign-in method (mcp-atlassian header contract)', function () {
  this.timeout(20_000);
  let world: SandboxConnections;

  beforeEach(async () => {
    world = await sandboxConnections();
  });

  afterEach(async () => {
    await world.close();
  });

  const remoteFor = (info: ConnectionInfo): RemoteServerConfig => ({
    id: 'remote',
    label: 'Remote',
    url: 'http://127.0.0.1:1/mcp/',
    connectionId: info.id,
    headers: {},
  });

  it('OAuth: Bearer with the site cloud id', async () => {
    const info = await world.oauth();
    const answer = await createRemoteCredentials(world.manager).authorization(remoteFor(info), {});
    assert.equal(answer.status, 'ok');
    assert.match(answer.status === 'ok' ? answer.authorization : '', /^Bearer \S+$/);
    assert.equal(answer.status === 'ok' && answer.cloudId, info.cloudId);
  });

  it('API token: Basic with the site cloud id', async () => {
    const info = await world.apiToken();
    const answer = await createRemoteCredentials(world.manager).authorization(remoteFor(info), {});
    assert.match(answer.status === 'ok' ? answer.authorization : '', /^Basic \S+$/);
    assert.ok(info.cloudId && answer.status === 'ok' && answer.cloudId === info.cloudId);
  });

  it('Data Center personal access token: Token <PAT> and no cloud id', async () => {
    const info = await world.dataCenter();
    const answer = await createRemoteCredentials(world.manager).authorization(remoteFor(info), {});
    assert.deepEqual(answer, {
      status: 'ok',
      authorization: `Token ${world.sandbox.discovery.dataCenter.personalAccessToken}`,
    });
  });
});

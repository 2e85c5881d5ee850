// The Jira Service Management and forms tools beyond an API-token Cloud site: Cloud with OAuth
// (the Forms API beside /ex/jira/{cloudId}, a missing scope named) and Data Center (Service
// Management as on Cloud; forms refused plainly, nothing sent), over the MCP SDK client.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import {
  call,
  connectHttp,
  connectStdio,
  type Connected,
  type HttpBridgeProcess,
  startHttpBridgeProcess,
} from './harness';

type Json = Record<string, unknown>;

const FORMS = /\/jira\/forms\/cloud\//;

async function ok<T = Json>(client: Client, name: string, args: Json = {}): Promise<T> {
  const r = await call(client, name, args);
  assert.equal(r.isError, false, `${name} failed: ${r.text}`);
  return r.json as T;
}

async function fails(client: Client, name: string, args: Json): Promise<string> {
  const r = await call(client, name, args);
  assert.equal(r.isError, true, `${name} should have failed: ${r.text}`);
  return r.text;
}

describe('Service Management and forms tools with OAuth through the gateway', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let c: Connected | undefined;
  after(async () => {
    await c?.close();
    await sandbox?.close();
  });

  it('reach the Forms API beside /ex/jira/{cloudId}, and name the Service Management scope a token lacks', async () => {
    sandbox = await startSandbox();
    const acme = sandbox.discovery.sites[0]!;
    const scopes = ['read:jira-work', 'write:jira-work', 'read:jira-user', 'offline_access'];
    c = await connectStdio({
      ATLASSIAN_OAUTH_ACCESS_TOKEN: sandbox.tokens.issue({ scopes }).access_token,
      ATLASSIAN_OAUTH_CLOUD_ID: acme.cloudId,
      ATLASSIAN_API_BASE_URL: sandbox.discovery.apiBaseUrl,
      TOOLSETS: 'all',
    });
    const first = (
      await ok<{ issues: Json[] }>(c.client, 'jira_search', { jql: 'project = OPS ORDER BY created ASC', limit: 1 })
    ).issues[0]!.key;
    const { forms } = await ok<{ forms: Json[] }>(c.client, 'jira_get_issue_proforma_forms', { issue_key: first });
    assert.equal(forms.length, 1);
    assert.equal(
      sandbox.log.count({
        path: `/api/jira/forms/cloud/${acme.cloudId}/issue/${String(first)}/form`,
        authKind: 'oauth',
      }),
      1,
    );
    assert.match(
      await fails(c.client, 'jira_get_request_types', { service_desk_id: '1' }),
      /needs the OAuth scope read:servicedesk-request/,
    );
  });
});

for (const mode of ['stdio', 'http'] as const) {
  describe(`Service Management and forms tools on Data Center over ${mode}`, function () {
    this.timeout(60_000);
    let sandbox: Sandbox;
    let c: Connected;
    let bridge: HttpBridgeProcess | undefined;

    before(async () => {
      sandbox = await startSandbox();
      const { url, personalAccessToken } = sandbox.discovery.dataCenter;
      const dir = await mkdtemp(join(tmpdir(), 'amb-jsm-dc-'));
      await writeFile(join(dir, 'router.log'), 'link down\n');
      const files = { ATLASSIAN_ATTACHMENT_DIRS: dir };
      if (mode === 'stdio')
        c = await connectStdio({ JIRA_URL: url, JIRA_PERSONAL_TOKEN: personalAccessToken, TOOLSETS: 'all', ...files });
      else {
        bridge = await startHttpBridgeProcess({ JIRA_URL: url, TOOLSETS: 'all', ...files });
        c = await connectHttp(bridge.url, { Authorization: `Token ${personalAccessToken}` });
      }
    });
    after(async () => {
      await c?.close();
      await bridge?.stop();
      await sandbox?.close();
    });

    it('serve Service Management as on Cloud and say plainly that forms are Cloud only', async () => {
      const desk = await ok(c.client, 'jira_get_service_desk_for_project', { project_key: 'TOOLS' });
      assert.equal(desk.id, '1');
      const created = await ok(c.client, 'jira_create_customer_request', {
        service_desk_id: '1',
        request_type_id: '10',
        request_field_values: { summary: `DC request ${mode}` },
        raise_on_behalf_of: 'grace',
        attachments: ['router.log'],
      });
      assert.match(String(created.key), /^TOOLS-\d+$/);
      assert.equal(created.reporter, 'Grace Hopper');
      assert.deepEqual(created.attachments, ['router.log'], 'attached through temporary files, as on Cloud');
      const sla = await ok(c.client, 'jira_get_issue_sla', { issue_key: created.key });
      assert.equal((sla.slas as Json[]).length, 2);
      sandbox.log.clear();
      assert.match(
        await fails(c.client, 'jira_get_issue_proforma_forms', { issue_key: created.key }),
        /Forms do not exist on Jira Data Center through this bridge: the Forms REST API is Jira Cloud only/,
      );
      assert.equal(sandbox.log.count({ path: FORMS }), 0);
    });
  });
}

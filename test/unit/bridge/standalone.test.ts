// Standalone configuration from mcp-atlassian's environment names: OAuth access tokens through a
// configurable gateway, one or several cloud ids, and clear refusals of incomplete settings.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { bridgeBundle, call, connectStdio } from './harness';

type Json = Record<string, unknown>;

describe('bridge standalone configuration', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox?.close();
  });

  it('ATLASSIAN_OAUTH_ACCESS_TOKEN + ATLASSIAN_OAUTH_CLOUD_ID reach that site through ATLASSIAN_API_BASE_URL', async () => {
    const token = sandbox.tokens.issue().access_token;
    const acme = sandbox.discovery.sites[0]!;
    const c = await connectStdio({
      ATLASSIAN_OAUTH_ACCESS_TOKEN: token,
      ATLASSIAN_OAUTH_CLOUD_ID: acme.cloudId,
      ATLASSIAN_API_BASE_URL: sandbox.discovery.apiBaseUrl,
    });
    try {
      const sites = (await call(c.client, 'atlassian_list_sites')).json as Json[];
      assert.deepEqual(
        sites.map((s) => [s.name, s.url, s.cloud_id]),
        [['acme', acme.url, acme.cloudId]],
      );
      const issue = await call(c.client, 'jira_get_issue', { issue_key: 'ENG-1', fields: 'summary' });
      assert.equal(issue.isError, false, issue.text);
      assert.match(
        ((await call(c.client, 'jira_get_issue', { issue_key: 'ENG-1' })).json as Json).url as string,
        new RegExp(`^${acme.url}/browse/ENG-1$`),
      );
      const page = await call(c.client, 'confluence_search', { query: 'release', limit: 1 });
      assert.equal(page.isError, false, page.text);
      assert.ok(!c.stderr().includes(token));
    } finally {
      await c.close();
    }
  });

  it('without a cloud id, every site the token reaches', async () => {
    const c = await connectStdio({
      ATLASSIAN_OAUTH_ACCESS_TOKEN: sandbox.tokens.issue().access_token,
      ATLASSIAN_API_BASE_URL: sandbox.discovery.apiBaseUrl,
    });
    try {
      const sites = (await call(c.client, 'atlassian_list_sites')).json as Json[];
      assert.deepEqual(sites.map((s) => s.name).sort(), ['acme', 'globex']);
      assert.equal(
        (await call(c.client, 'jira_get_issue', { issue_key: 'WEB-1', site: 'globex', fields: 'summary' })).isError,
        false,
      );
    } finally {
      await c.close();
    }
  });

  it('no credentials: the server starts and tools say how to connect', async () => {
    const c = await connectStdio({});
    try {
      const r = await call(c.client, 'jira_search', { jql: 'project = X' });
      assert.equal(r.isError, true);
      assert.match(r.text, /No Jira site is connected\. Set JIRA_URL with JIRA_USERNAME \+ JIRA_API_TOKEN/);
    } finally {
      await c.close();
    }
  });

  it('refuses incomplete settings at startup with exit code 2', async () => {
    const run = async (env: Record<string, string>, args: string[] = []) =>
      spawnSync(process.execPath, [await bridgeBundle(), ...args], {
        env: { PATH: process.env.PATH ?? '', ...env },
        encoding: 'utf8',
        input: '',
      });
    const noToken = await run({ JIRA_URL: 'https://acme.atlassian.net', JIRA_USERNAME: 'me@acme.com' });
    assert.equal(noToken.status, 2);
    assert.match(
      noToken.stderr,
      /JIRA_URL is set, but neither JIRA_USERNAME \+ JIRA_API_TOKEN nor JIRA_PERSONAL_TOKEN is/,
    );
    const badTransport = await run({ TRANSPORT: 'sse' });
    assert.equal(badTransport.status, 2);
    assert.match(badTransport.stderr, /Unsupported transport "sse"/);
    const help = await run({}, ['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--transport stdio\|streamable-http/);
  });
});

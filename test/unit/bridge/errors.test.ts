// Every kind of failure reaches the model as an isError result that says what happened and what
// to do: invalid input, 401, 403, 404, 410, 429 (retried within bounds, never for a create), 5xx.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { call, type Connected, type HttpBridgeProcess, openBridge, ADA } from './harness';

for (const mode of ['stdio', 'http'] as const) {
  describe(`bridge errors over ${mode}`, function () {
    this.timeout(60_000);
    let sandbox: Sandbox;
    let c: Connected;
    let bridge: HttpBridgeProcess | undefined;
    let urls: Record<string, string>;

    before(async () => {
      sandbox = await startSandbox();
      const site = sandbox.discovery.sites[0]!;
      urls = { JIRA_URL: site.url, CONFLUENCE_URL: `${site.url}/wiki` };
      ({ c, bridge } = await openBridge(mode, urls));
    });
    afterEach(() => sandbox.faults.clear());
    after(async () => {
      await c?.close();
      await bridge?.stop();
      await sandbox?.close();
    });

    const fails = async (name: string, args: Record<string, unknown>, pattern: RegExp) => {
      const r = await call(c.client, name, args);
      assert.equal(r.isError, true, `${name} should fail: ${r.text}`);
      assert.match(r.text, pattern);
      return r.text;
    };

    it('invalid input names the argument', async () => {
      await fails('jira_get_issue', { issueKey: 'ENG-1' }, /Unknown argument `issueKey`\. Did you mean `issue_key`\?/);
      await fails(
        'jira_search',
        { jql: 'project = ENG', limit: 'lots' },
        /Invalid argument `limit`: expected an integer between 1 and 100, got "lots"/,
      );
      await fails('jira_search', {}, /Missing required argument `jql`/);
      await fails('confluence_get_page', { page_id: 'not a page' }, /Invalid argument `page_id`/);
      await fails('jira_search', { jql: 'project = ENG', page_token: 'garbage!' }, /Invalid argument `page_token`/);
      await fails(
        'jira_transition_issue',
        { issue_key: 'ENG-1', transition_id: 'Teleport' },
        /Invalid argument `transition_id`: "Teleport" is not available for ENG-1 now\. Available: .*In Progress/,
      );
      await fails(
        'jira_assign_issue',
        { issue_key: 'ENG-1', assignee: 'nobody-like-this' },
        /Invalid argument `assignee`: no Jira user matches/,
      );
      await fails(
        'jira_search',
        { jql: 'project = ENG', site: 'elsewhere' },
        /Invalid argument `site`: no connected site matches "elsewhere"\. Connected: acme/,
      );
    });

    it("400 carries Jira's own message", async () => {
      await fails(
        'jira_search',
        { jql: 'project = ENG AND nonsense ~~ 1' },
        /refused the request \(400\).*Fix the arguments/,
      );
    });

    it('404 names what was not found', async () => {
      await fails(
        'jira_get_issue',
        { issue_key: 'ENG-99999' },
        /Issue ENG-99999 was not found on 127\.0\.0\.1:\d+, or you lack permission/,
      );
      await fails('confluence_get_page', { page_id: '999999999' }, /Page 999999999 was not found/);
      await fails('jira_add_comment', { issue_key: 'NOPE-1', body: 'x' }, /Issue NOPE-1 was not found/);
    });

    it('429 is retried with backoff, honouring Retry-After', async () => {
      sandbox.faults.add({ kind: 'rateLimit', path: '**/rest/api/3/search/jql', times: 2, retryAfterSeconds: 0 });
      const r = await call(c.client, 'jira_search', { jql: 'project = ENG', limit: 1 });
      assert.equal(r.isError, false, r.text);
      assert.equal(sandbox.log.count({ path: /search\/jql$/, status: 429 }), 2);
    });

    it('429 with a long Retry-After fails at once with when to retry', async () => {
      sandbox.faults.add({
        kind: 'rateLimit',
        path: '**/rest/api/3/search/jql',
        retryAfterSeconds: 3600,
        reason: 'jira-quota-tenant-based',
      });
      const started = Date.now();
      await fails(
        'jira_search',
        { jql: 'project = ENG' },
        /rate limiting requests \(jira-quota-tenant-based\)\. Try again in 3600 s\. Wait before calling again\.$/,
      );
      assert.ok(Date.now() - started < 5000);
    });

    it('a create is never retried automatically', async () => {
      sandbox.log.clear();
      sandbox.faults.add({
        kind: 'rateLimit',
        method: 'POST',
        path: '**/rest/api/3/issue',
        times: 1,
        retryAfterSeconds: 0,
      });
      await fails(
        'jira_create_issue',
        { project_key: 'ENG', summary: 'Once only', issue_type: 'Task' },
        /rate limiting/,
      );
      assert.equal(sandbox.log.count({ method: 'POST', path: /\/rest\/api\/3\/issue$/ }), 1);
    });

    it('5xx on a read is retried; a lasting 5xx says to try later', async () => {
      sandbox.faults.add({
        kind: 'error',
        path: '**/rest/api/3/issue/ENG-1',
        status: 503,
        times: 1,
        retryAfterSeconds: 0,
      });
      assert.equal((await call(c.client, 'jira_get_issue', { issue_key: 'ENG-1' })).isError, false);
      sandbox.faults.add({ kind: 'error', path: '**/wiki/api/v2/pages/*', status: 500 });
      await fails('confluence_get_page', { page_id: '3117083' }, /server error \(500\).*Try again later/);
    });

    it('401 says the credentials were rejected and how to fix them', async () => {
      const wrong = await openBridge(mode, urls, ADA.email, 'not-the-token');
      try {
        const r = await call(wrong.c.client, 'jira_search', { jql: 'project = ENG' });
        assert.equal(r.isError, true);
        assert.match(r.text, /rejected the credentials \(401\)/);
        assert.match(r.text, mode === 'stdio' ? /JIRA_API_TOKEN/ : /credentials/);
      } finally {
        await wrong.c.close();
        await wrong.bridge?.stop();
      }
    });
  });

  describe(`bridge errors Atlassian sends rarely, over ${mode} (stub site)`, function () {
    this.timeout(30_000);
    let stub: Server;
    let c: Connected;
    let bridge: HttpBridgeProcess | undefined;

    before(async () => {
      // A Cloud Jira that answers 403 and 410 where the sandbox never does.
      stub = createServer((req, res) => {
        const send = (status: number, body: unknown) =>
          res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
        const path = (req.url ?? '').split('?')[0];
        if (path === '/rest/api/2/serverInfo')
          return send(200, { deploymentType: 'Cloud', baseUrl: 'https://stub.atlassian.net' });
        if (path === '/rest/api/3/search/jql')
          return send(410, {
            errorMessages: ['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.'],
            errors: {},
          });
        if (path === '/rest/api/3/issue/SEC-1')
          return send(403, {
            errorMessages: ['You do not have the permission to see the specified issue.'],
            errors: {},
          });
        if (path === '/rest/api/3/field')
          return send(200, [{ id: 'customfield_10100', name: 'Team', custom: true, schema: { type: 'option' } }]);
        if (path === '/rest/api/3/field/customfield_10100/context')
          return send(200, { isLast: true, values: [{ id: '10200', isGlobalContext: true }] });
        if (path === '/rest/api/3/field/customfield_10100/context/10200/option')
          return send(200, {
            isLast: true,
            values: [
              { id: '1', value: 'Platform' },
              { id: '2', value: 'Mobile', disabled: true },
            ],
          });
        send(404, { errorMessages: ['Not here'], errors: {} });
      });
      await new Promise<void>((r) => stub.listen(0, '127.0.0.1', () => r()));
      const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
      ({ c, bridge } = await openBridge(
        mode,
        { JIRA_URL: url, TOOLSETS: 'default,jira_get_field_options' },
        'someone@example.com',
        'token',
      ));
    });
    after(async () => {
      await c?.close();
      await bridge?.stop();
      await new Promise((r) => stub.close(r));
    });

    it('410 says the API was retired; never an empty result', async () => {
      const r = await call(c.client, 'jira_search', { jql: 'project = X' });
      assert.equal(r.isError, true);
      assert.match(r.text, /retired \(410\).*update the bridge/);
    });

    it('403 names the missing permission', async () => {
      const r = await call(c.client, 'jira_get_issue', { issue_key: 'SEC-1' });
      assert.equal(r.isError, true);
      assert.match(r.text, /Forbidden \(403\).*You do not have the permission to see the specified issue/);
    });

    it('Cloud field options come from the field context', async () => {
      const r = await call(c.client, 'jira_get_field_options', { field_id: 'Team' });
      assert.equal(r.isError, false, r.text);
      assert.deepEqual(r.json, [
        { id: '1', value: 'Platform' },
        { id: '2', value: 'Mobile', disabled: true },
      ]);
    });
  });
}

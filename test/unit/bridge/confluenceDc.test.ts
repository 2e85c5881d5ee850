// Confluence Data Center, on a host of its own (context path /confluence) and under the Jira host's
// /wiki, driven by the real MCP client over stdio (CONFLUENCE_PERSONAL_TOKEN) and HTTP (Token PAT):
// the deployment is learnt from Confluence, every page tool goes through the DC REST API, links keep
// the context path, and Cloud-only operations say so.
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import {
  call,
  connectHttp,
  connectStdio,
  startHttpBridgeProcess,
  type Connected,
  type HttpBridgeProcess,
} from './harness';

type Json = Record<string, unknown>;

describe('Confluence Data Center through the bridge', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox?.close();
  });

  const setups = (): { name: string; env: Record<string, string>; pat: string }[] => {
    const pat = sandbox.discovery.dataCenter.personalAccessToken;
    return [
      { name: 'own host', env: { CONFLUENCE_URL: `${sandbox.url}/confluence-dc/confluence` }, pat },
      { name: 'under /wiki', env: { JIRA_URL: `${sandbox.url}/dc`, CONFLUENCE_URL: `${sandbox.url}/dc/wiki` }, pat },
    ];
  };

  for (const mode of ['stdio', 'http'] as const) {
    for (const which of ['own host', 'under /wiki']) {
      it(`${which} over ${mode}: reads, searches, writes and reads back on DC`, async () => {
        const setup = setups().find((s) => s.name === which)!;
        let c: Connected;
        let bridge: HttpBridgeProcess | undefined;
        if (mode === 'stdio') {
          const tokens: Json = { CONFLUENCE_PERSONAL_TOKEN: setup.pat };
          if (setup.env.JIRA_URL) tokens.JIRA_PERSONAL_TOKEN = setup.pat;
          c = await connectStdio({ ...setup.env, TOOLSETS: 'all', ...(tokens as Record<string, string>) });
        } else {
          bridge = await startHttpBridgeProcess({ ...setup.env, TOOLSETS: 'all' });
          c = await connectHttp(bridge.url, { Authorization: `Token ${setup.pat}` });
        }
        try {
          const sites = (await call(c.client, 'atlassian_list_sites')).json as Json[];
          assert.equal(sites[0]!.confluence_flavour, 'datacenter', JSON.stringify(sites));

          const search = await call(c.client, 'confluence_search', { query: 'type = page AND space = ENG', limit: 2 });
          assert.equal(search.isError, false, search.text);
          const hit = ((search.json as Json).results as Json[])[0]!;
          assert.ok(String(hit.url).startsWith(`${setup.env.CONFLUENCE_URL}/spaces/ENG/pages/`), String(hit.url));

          const page = await call(c.client, 'confluence_get_page', { page_id: String(hit.id) });
          assert.equal(page.isError, false, page.text);
          const got = page.json as Json;
          assert.equal(got.space, 'ENG');
          assert.ok(String(got.content).length > 0, `Markdown converted from storage: ${page.text}`);
          assert.ok(!String(got.content).includes('<p>'), String(got.content));
          assert.ok(String(got.url).startsWith(setup.env.CONFLUENCE_URL!), String(got.url));

          const byTitle = await call(c.client, 'confluence_get_page', { title: got.title, space_key: 'ENG' });
          assert.equal((byTitle.json as Json).id, got.id, byTitle.text);

          const title = `DC page ${mode} ${which} ${Date.now()}`;
          const created = await call(c.client, 'confluence_create_page', {
            space_key: 'ENG',
            title,
            content: '# Hello\n\nWritten **from** Markdown.',
            parent_id: String(got.id),
          });
          assert.equal(created.isError, false, created.text);
          const id = String((created.json as Json).id);
          const back = (await call(c.client, 'confluence_get_page', { page_id: id })).json as Json;
          assert.match(String(back.content), /Written \*\*from\*\* Markdown/);
          assert.equal(back.parent_id, got.id);

          const updated = await call(c.client, 'confluence_update_page', { page_id: id, content: 'Second version.' });
          assert.equal(updated.isError, false, updated.text);
          const v2 = (await call(c.client, 'confluence_get_page', { page_id: id })).json as Json;
          assert.equal(v2.version, 2);
          assert.match(String(v2.content), /Second version/);

          const children = await call(c.client, 'confluence_get_page_children', { parent_id: String(got.id) });
          assert.ok(
            ((children.json as Json).pages as Json[]).some((p) => p.id === id),
            children.text,
          );

          assert.equal(
            (await call(c.client, 'confluence_add_comment', { page_id: id, body: 'A DC comment' })).isError,
            false,
          );
          const comments = await call(c.client, 'confluence_get_comments', { page_id: id });
          assert.match(comments.text, /A DC comment/);

          const missing = await call(c.client, 'confluence_get_page', { page_id: '999999999' });
          assert.equal(missing.isError, true);
          assert.match(missing.text, /999999999/);

          const users = await call(c.client, 'confluence_search_user', { query: 'ada' });
          assert.equal(users.isError, true);
          assert.match(users.text, /does not exist on Confluence Data Center/);
        } finally {
          await c.close();
          await bridge?.stop();
        }
      });
    }
  }
});

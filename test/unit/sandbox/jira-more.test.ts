// The sandbox's Jira endpoints behind the opt-in bridge tools: bulk create, remote (web) links,
// version updates and Jira Software's epics, over real HTTP on Cloud and Data Center.
import assert from 'node:assert/strict';
import { DEFAULT_USER } from '../../sandbox/data/users';
import { startSandbox, type Sandbox } from '../../sandbox/index';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field

interface Reply {
  status: number;
  text: string;
  body: Json;
}

const adf = (text: string) => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

describe('sandbox Jira: bulk create, remote links, versions, epics', function () {
  let sandbox: Sandbox;
  let acme: string;
  let dc: string;

  async function request(base: string, method: string, path: string, body?: unknown): Promise<Reply> {
    const headers: Record<string, string> = {
      authorization:
        base === dc
          ? `Bearer ${sandbox.discovery.dataCenter.personalAccessToken}`
          : `Basic ${Buffer.from(`${DEFAULT_USER.email}:${DEFAULT_USER.apiToken}`).toString('base64')}`,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: Json = {};
    try {
      parsed = text ? (JSON.parse(text) as Json) : {};
    } catch {
      // not JSON: asserted through `text`
    }
    return { status: res.status, text, body: parsed };
  }
  const get = (base: string, path: string) => request(base, 'GET', path);
  const post = (base: string, path: string, body: unknown) => request(base, 'POST', path, body);
  const put = (base: string, path: string, body: unknown) => request(base, 'PUT', path, body);

  async function firstKey(base: string, jql: string): Promise<string> {
    const res =
      base === dc
        ? await get(base, `/rest/api/2/search?jql=${encodeURIComponent(jql)}&maxResults=1`)
        : await get(base, `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&maxResults=1&fields=key`);
    assert.equal(res.status, 200, res.text);
    return String(res.body.issues[0].key);
  }

  before(async () => {
    sandbox = await startSandbox();
    acme = sandbox.discovery.sites.find((s) => s.name === 'acme')!.url;
    dc = sandbox.discovery.dataCenter.url;
  });
  after(async () => {
    await sandbox.close();
  });

  describe('POST /issue/bulk', () => {
    it('creates the valid issues and reports each refused one by its 0-based position (201)', async () => {
      const res = await post(acme, '/rest/api/3/issue/bulk', {
        issueUpdates: [
          {
            fields: {
              project: { key: 'ENG' },
              issuetype: { name: 'Task' },
              summary: 'Bulk one',
              description: adf('first'),
            },
          },
          { fields: { project: { key: 'ENG' }, issuetype: { name: 'Nope' }, summary: 'Bulk bad' } },
          { fields: { project: { key: 'OPS' }, issuetype: { id: '10003' }, summary: 'Bulk two' } },
        ],
      });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(
        res.body.issues.map((i: Json) => Object.keys(i)),
        [
          ['id', 'key', 'self'],
          ['id', 'key', 'self'],
        ],
      );
      assert.match(res.body.issues[0].key, /^ENG-\d+$/);
      assert.match(res.body.issues[1].key, /^OPS-\d+$/);
      assert.deepEqual(res.body.errors, [
        {
          status: 400,
          elementErrors: { errorMessages: [], errors: { issuetype: 'The issue type selected is invalid.' } },
          failedElementNumber: 1,
        },
      ]);
      const created = await get(acme, `/rest/api/3/issue/${res.body.issues[0].key}?fields=summary,description`);
      assert.equal(created.body.fields.summary, 'Bulk one');
      assert.deepEqual(created.body.fields.description, adf('first'));
    });

    it('answers 400 with the same shape when it created nothing, and refuses bad payloads', async () => {
      const none = await post(acme, '/rest/api/3/issue/bulk', {
        issueUpdates: [{ fields: { project: { key: 'NOPE' }, issuetype: { name: 'Task' } } }, 'x'],
      });
      assert.equal(none.status, 400);
      assert.deepEqual(none.body.issues, []);
      assert.deepEqual(
        none.body.errors.map((e: Json) => e.failedElementNumber),
        [0, 1],
      );
      assert.deepEqual(none.body.errors[0].elementErrors.errors, {
        project: 'Specify a valid project ID or key',
        summary: 'You must specify a summary of the issue.',
      });
      assert.deepEqual(none.body.errors[1].elementErrors.errorMessages, [
        'Invalid request payload. Refer to the REST API documentation and try again.',
      ]);
      const notArray = await post(acme, '/rest/api/3/issue/bulk', { issueUpdates: {} });
      assert.equal(notArray.status, 400);
      const tooMany = await post(acme, '/rest/api/3/issue/bulk', {
        issueUpdates: Array.from({ length: 51 }, (_, i) => ({
          fields: { project: { key: 'ENG' }, issuetype: { name: 'Task' }, summary: `n${i}` },
        })),
      });
      assert.equal(tooMany.status, 400);
      assert.match(tooMany.body.errorMessages[0], /at most 50/);
      assert.equal(
        (await get(acme, `/rest/api/3/search/jql?jql=${encodeURIComponent('summary ~ "n49"')}`)).body.issues.length,
        0,
        'nothing of a refused request was created',
      );
    });

    it('takes wiki markup on Data Center (v2) and keeps it', async () => {
      const res = await post(dc, '/rest/api/2/issue/bulk', {
        issueUpdates: [
          {
            fields: {
              project: { key: 'LEGACY' },
              issuetype: { name: 'Task' },
              summary: 'DC bulk',
              description: 'h2. Plan\n*bold*',
            },
          },
        ],
      });
      assert.equal(res.status, 201, res.text);
      const created = await get(dc, `/rest/api/2/issue/${res.body.issues[0].key}?fields=description`);
      assert.equal(created.body.fields.description, 'h2. Plan\n*bold*');
      assert.equal(
        (await post(dc, '/rest/api/3/issue/bulk', { issueUpdates: [] })).status,
        404,
        'Data Center has no v3',
      );
    });
  });

  describe('remote links', () => {
    it('adds, lists, reads and deletes web links; a known globalId updates instead of adding', async () => {
      const key = await firstKey(acme, 'project = ENG ORDER BY key ASC');
      const created = await post(acme, `/rest/api/3/issue/${key}/remotelink`, {
        object: { url: 'https://example.com/pr/1', title: 'PR 1', summary: 'The fix' },
        relationship: 'fixed by',
      });
      assert.equal(created.status, 201, created.text);
      assert.equal(typeof created.body.id, 'number');
      assert.equal(created.body.self, `${acme}/rest/api/3/issue/${key}/remotelink/${created.body.id}`);
      const one = await get(acme, `/rest/api/3/issue/${key}/remotelink/${created.body.id}`);
      assert.deepEqual(one.body, {
        id: created.body.id,
        self: created.body.self,
        application: {},
        relationship: 'fixed by',
        object: { icon: {}, url: 'https://example.com/pr/1', title: 'PR 1', summary: 'The fix' },
      });
      const first = await post(acme, `/rest/api/3/issue/${key}/remotelink`, {
        globalId: 'pr=2',
        object: { url: 'https://example.com/pr/2', title: 'PR 2' },
      });
      const again = await post(acme, `/rest/api/3/issue/${key}/remotelink`, {
        globalId: 'pr=2',
        object: { url: 'https://example.com/pr/2', title: 'PR 2 (merged)' },
      });
      assert.equal(first.status, 201);
      assert.equal(again.status, 200);
      assert.equal(again.body.id, first.body.id);
      const listed = await get(acme, `/rest/api/3/issue/${key}/remotelink`);
      assert.deepEqual(
        listed.body.map((l: Json) => l.object.title),
        ['PR 1', 'PR 2 (merged)'],
      );
      assert.equal(
        (await get(acme, `/rest/api/3/issue/${key}/remotelink?globalId=pr%3D2`)).body.object.title,
        'PR 2 (merged)',
      );
      assert.equal(
        (await request(acme, 'DELETE', `/rest/api/3/issue/${key}/remotelink/${created.body.id}`)).status,
        204,
      );
      assert.equal((await get(acme, `/rest/api/3/issue/${key}/remotelink/${created.body.id}`)).status, 404);
      assert.equal((await get(acme, `/rest/api/3/issue/${key}/remotelink`)).body.length, 1);
    });

    it('refuses a link without URL or text, and links on missing issues', async () => {
      const key = await firstKey(acme, 'project = OPS ORDER BY key ASC');
      const bad = await post(acme, `/rest/api/3/issue/${key}/remotelink`, { object: { summary: 'no url' } });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body, {
        errorMessages: [],
        errors: { url: "'URL' is required.", title: "'Link Text' is required." },
      });
      const missing = await post(acme, '/rest/api/3/issue/ENG-99999/remotelink', {
        object: { url: 'https://x.test', title: 'x' },
      });
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body.errorMessages, ['Issue does not exist or you do not have permission to see it.']);
    });

    it('serves /rest/api/2 remote links on Data Center', async () => {
      const key = await firstKey(dc, 'project = LEGACY ORDER BY key ASC');
      const created = await post(dc, `/rest/api/2/issue/${key}/remotelink`, {
        object: { url: 'https://wiki.internal/x', title: 'Runbook' },
      });
      assert.equal(created.status, 201, created.text);
      assert.equal((await get(dc, `/rest/api/2/issue/${key}/remotelink`)).body[0].object.title, 'Runbook');
    });
  });

  describe('PUT /version/{id}', () => {
    it('changes only the members given', async () => {
      const versions = (await get(acme, '/rest/api/3/project/ENG/versions')).body as Json[];
      const target = versions.find((v) => v.name === '2.0')!;
      const res = await put(acme, `/rest/api/3/version/${target.id}`, {
        name: '2.0-renamed',
        released: true,
        releaseDate: '2030-01-02',
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.name, '2.0-renamed');
      assert.equal(res.body.released, true);
      assert.equal(res.body.releaseDate, '2030-01-02');
      assert.equal(res.body.description, target.description);
      assert.equal(res.body.startDate, target.startDate);
      const cleared = await put(acme, `/rest/api/3/version/${target.id}`, { startDate: null });
      assert.equal(cleared.body.startDate, undefined);
    });

    it('refuses duplicate names, bad dates, bad flags and unknown versions', async () => {
      const versions = (await get(acme, '/rest/api/3/project/OPS/versions')).body as Json[];
      const [first, second] = versions as [Json, Json];
      const duplicate = await put(acme, `/rest/api/3/version/${second.id}`, { name: first.name.toUpperCase() });
      assert.equal(duplicate.status, 400);
      assert.deepEqual(duplicate.body.errors, { name: 'A version with this name already exists in this project.' });
      const date = await put(acme, `/rest/api/3/version/${second.id}`, { releaseDate: '02/03/2030' });
      assert.deepEqual(date.body.errors, { releaseDate: 'Please enter the date in the following format: yyyy-MM-dd' });
      assert.equal((await put(acme, `/rest/api/3/version/${second.id}`, { released: 'yes' })).status, 400);
      const missing = await put(acme, '/rest/api/3/version/99999', { name: 'x' });
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body.errorMessages, ["Could not find version for id '99999'"]);
      assert.equal(
        (await get(acme, `/rest/api/3/version/${second.id}`)).body.name,
        second.name,
        'refused changes leave the version alone',
      );
    });
  });

  describe('Jira Software epics', () => {
    for (const flavour of ['cloud', 'datacenter'] as const) {
      it(`moves issues into and out of an epic (${flavour})`, async () => {
        const base = flavour === 'cloud' ? acme : dc;
        const project = flavour === 'cloud' ? 'ENG' : 'LEGACY';
        const v = flavour === 'cloud' ? 3 : 2;
        const epic = await firstKey(base, `project = ${project} AND issuetype = Epic ORDER BY key ASC`);
        const task = await firstKey(base, `project = ${project} AND issuetype = Task ORDER BY key DESC`);
        const info = await get(base, `/rest/agile/1.0/epic/${epic}`);
        assert.equal(info.status, 200);
        assert.equal(info.body.key, epic);
        assert.equal((await post(base, `/rest/agile/1.0/epic/${epic}/issue`, { issues: [task] })).status, 204);
        assert.equal((await get(base, `/rest/api/${v}/issue/${task}?fields=parent`)).body.fields.parent.key, epic);
        assert.ok(
          (await get(base, `/rest/agile/1.0/epic/${epic}/issue?maxResults=100`)).body.issues.some(
            (i: Json) => i.key === task,
          ),
        );
        assert.equal((await post(base, '/rest/agile/1.0/epic/none/issue', { issues: [task] })).status, 204);
        assert.equal((await get(base, `/rest/api/${v}/issue/${task}?fields=parent`)).body.fields.parent, undefined);
      });
    }

    it('refuses a non-epic, a missing epic, sub-tasks and epics', async () => {
      const task = await firstKey(acme, 'project = ENG AND issuetype = Task ORDER BY key ASC');
      const epic = await firstKey(acme, 'project = ENG AND issuetype = Epic ORDER BY key ASC');
      const subtask = await firstKey(acme, 'project = ENG AND issuetype = Sub-task ORDER BY key ASC');
      const notEpic = await post(acme, `/rest/agile/1.0/epic/${task}/issue`, { issues: [epic] });
      assert.equal(notEpic.status, 400);
      assert.deepEqual(notEpic.body.errorMessages, [`Issue ${task} is not an epic.`]);
      const missing = await post(acme, '/rest/agile/1.0/epic/ENG-99999/issue', { issues: [task] });
      assert.equal(missing.status, 404);
      assert.match(
        (await post(acme, `/rest/agile/1.0/epic/${epic}/issue`, { issues: [subtask] })).body.errorMessages[0],
        /is a sub-task/,
      );
      const otherEpic = await firstKey(acme, 'project = ENG AND issuetype = Epic ORDER BY key DESC');
      assert.match(
        (await post(acme, `/rest/agile/1.0/epic/${epic}/issue`, { issues: [otherEpic] })).body.errorMessages[0],
        /is an epic/,
      );
      assert.equal((await post(acme, `/rest/agile/1.0/epic/${epic}/issue`, { issues: [] })).status, 400);
    });
  });
});
